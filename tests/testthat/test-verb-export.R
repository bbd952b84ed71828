# export_table(): league tables and tidy results to Excel, Word and CSV,
# read back with the packages that read those files.

export_fit <- function() {
  nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
}

test_that("a league table goes to .xlsx as the square table, with its caption", {
  fit <- export_fit()
  lt <- league_table(fit)
  f <- tempfile(fileext = ".xlsx")
  on.exit(unlink(f))
  expect_identical(export_table(lt, f, digits = 1), f)
  sq <- format(lt, digits = 1)
  cap <- fastnma:::default_caption(lt)
  back <- openxlsx::read.xlsx(f, colNames = FALSE, skipEmptyRows = FALSE)
  expect_identical(back[seq_along(cap), 1], cap)
  body <- openxlsx::read.xlsx(f, startRow = length(cap) + 2L, colNames = TRUE,
                              check.names = FALSE, sep.names = " ", na.strings = NULL)
  expect_identical(names(body), colnames(sq))
  expect_identical(unname(as.matrix(body)), unname(sq))
  # existing files are kept unless asked
  expect_error(export_table(lt, f), class = "fastnma_error_export")
  expect_silent(export_table(lt, f, overwrite = TRUE, ci = FALSE))
  body <- openxlsx::read.xlsx(f, startRow = length(cap) + 2L, check.names = FALSE)
  expect_identical(unname(as.matrix(body)), unname(format(lt, ci = FALSE)))
})

test_that("tidy results go to .xlsx, .docx and .csv with their values", {
  fit <- export_fit()
  td <- tidy(fit, model = "common")
  f <- tempfile(fileext = ".xlsx")
  # a tidy table is written at full precision (a fit as print() shows it,
  # see test-traps.R)
  export_table(td, f, caption = NULL)
  back <- openxlsx::read.xlsx(f)
  expect_identical(names(back), names(td))
  expect_equal(back$estimate, td$estimate, tolerance = 1e-12)
  expect_identical(back$treat1, td$treat1)

  ranks <- rank_treatments(fit)
  f2 <- tempfile(fileext = ".csv")
  export_table(ranks, f2)
  back2 <- utils::read.csv(f2)
  expect_equal(back2[[2]], as.data.frame(tidy(ranks))[[2]], tolerance = 1e-12)

  f3 <- tempfile(fileext = ".docx")
  export_table(league_table(fit), f3, ci = FALSE)
  s <- officer::docx_summary(officer::read_docx(f3))
  cells <- s[s$content_type == "table cell", ]
  sq <- format(league_table(fit), ci = FALSE)
  expect_identical(max(cells$row_id), nrow(sq) + 1L) # header row + the square
  body <- cells[cells$row_id > 1, ]
  expect_setequal(body$text[nzchar(body$text)], sq[nzchar(sq)])
  expect_true(any(grepl("Lower triangle", s$text[s$content_type == "paragraph"], fixed = TRUE)))

  f4 <- tempfile(fileext = ".docx")
  export_table(node_split(fit), f4)
  s4 <- officer::docx_summary(officer::read_docx(f4))
  hdr <- s4[s4$content_type == "table cell" & s4$row_id == 1, ]
  expect_true(all(c("treat1", "treat2", "p.value") %in% hdr$text))
  unlink(c(f, f2, f3, f4))
})

test_that("export_table() refuses what it cannot write, with a classed error", {
  fit <- export_fit()
  expect_error(export_table(fit, tempfile(fileext = ".pdf")), class = "fastnma_error_export")
  expect_error(export_table(fit, c("a.csv", "b.csv")), class = "fastnma_error_export")
  expect_error(export_table(list(1), tempfile(fileext = ".csv")), class = "fastnma_error_export")
  expect_error(export_table(fit, tempfile(fileext = ".csv"), overwrite = NA),
               class = "fastnma_error_flag")
  # a plain data frame is written as it is
  f <- tempfile(fileext = ".csv")
  export_table(data.frame(a = 1:2, b = c("x", "y")), f)
  expect_identical(utils::read.csv(f)$b, c("x", "y"))
  # a package that is not installed is named
  ns <- asNamespace("fastnma")
  real <- get("has_package", envir = ns)
  unlockBinding("has_package", ns)
  assign("has_package", function(package) package != "openxlsx", envir = ns)
  on.exit({
    assign("has_package", real, envir = ns)
    lockBinding("has_package", ns)
  }, add = TRUE)
  err <- expect_error(export_table(fit, tempfile(fileext = ".xlsx")),
                      class = "fastnma_error_export")
  expect_match(conditionMessage(err), "openxlsx", fixed = TRUE)
})

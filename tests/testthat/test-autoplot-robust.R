# Figures of threshold(), outliers() and forward_search() (R/autoplot-robust.R).

test_that("threshold and outlier figures keep the max_rows rows that matter most and say so", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  th <- threshold(fit)
  n_th <- nrow(th)
  expect_gt(n_th, 3L)
  p <- autoplot(th, max_rows = 3)
  rows <- levels(p$data$row)
  expect_length(rows, 3L)
  # the data points nearest to changing the decision
  keep <- order(th$min_threshold_se, -abs(th$estimate))[1:3]
  expect_setequal(p$data$min_threshold_se, th$min_threshold_se[keep])
  cap <- paste(p$labels$caption, collapse = " ")
  expect_match(gsub("\\s+", " ", cap),
               sprintf("3 of %d data points shown: those nearest to changing the decision (choose with `max_rows`).", n_th),
               fixed = TRUE)
  p_all <- autoplot(th)
  expect_length(levels(p_all$data$row), n_th)
  expect_false(grepl("choose with", paste(p_all$labels$caption, collapse = " "), fixed = TRUE))

  ol <- outliers(fit)
  s <- ol$studies
  p <- autoplot(ol, max_rows = 4)
  shown <- levels(p$data$row)
  expect_length(shown, 4L)
  key <- abs(s$stud_residual_deleted)
  key[!is.finite(key)] <- -Inf
  expect_setequal(shown, s$study[order(-key)][1:4])
  expect_match(gsub("\\s+", " ", paste(p$labels$caption, collapse = " ")),
               sprintf("4 of %d studies shown: the largest studentized deleted residuals", nrow(s)),
               fixed = TRUE)
  expect_null(autoplot(ol)$labels$caption)
})

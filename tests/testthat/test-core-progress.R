# Progress bars of long work: shown through cli in interactive sessions,
# never in scripts, and never changing a result. cli's logger handler writes
# each event of a bar as a line of output, which these tests read.

progress_options <- function() {
  options(rlang_interactive = TRUE, cli.progress_show_after = 0,
          cli.progress_handlers_only = "logger", fastnma.progress_interval = 0,
          fastnma.progress = TRUE, fastnma.quiet = FALSE)
}

test_that("SUCRA sampling reports its draws to a progress bar and gives the same ranks", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study)
  quiet <- rank_treatments(fit, method = "sucra", n_sim = 5000, seed = 3)
  old <- progress_options()
  on.exit(options(old))
  msgs <- utils::capture.output(
    shown <- rank_treatments(fit, method = "sucra", n_sim = 5000, seed = 3))
  expect_identical(shown, quiet)
  expect_true(any(grepl("0/5000 created", msgs, fixed = TRUE)))
  # one update per 1024 draws after the first
  expect_true(any(grepl("4096/5000 updated", msgs, fixed = TRUE)))
  expect_true(any(grepl("terminated", msgs, fixed = TRUE)))
  options(fastnma.progress = FALSE)
  expect_silent(rank_treatments(fit, method = "sucra", n_sim = 5000, seed = 3))
  options(fastnma.progress = TRUE, fastnma.quiet = TRUE)
  expect_silent(rank_treatments(fit, method = "sucra", n_sim = 5000, seed = 3))
  options(rlang_interactive = FALSE, fastnma.quiet = FALSE)
  expect_silent(rank_treatments(fit, method = "sucra", n_sim = 5000, seed = 3))
})

test_that("leave_one_out and contributions show progress and give the same result", {
  fit <- nma(arm_contrasts(synthetic_network22(), measure = "MD"), reference = "Placebo")
  loo <- leave_one_out(fit)
  cb <- contributions(fit)
  old <- progress_options()
  on.exit(options(old))
  expect_output(loo2 <- leave_one_out(fit), "created")
  expect_identical(loo2, loo)
  expect_output(cb2 <- contributions(fit), "/231 updated")
  expect_identical(cb2, cb)
  options(fastnma.progress = FALSE)
  ns <- node_split(fit, method = "separate")
  options(fastnma.progress = TRUE)
  expect_output(ns2 <- node_split(fit, method = "separate"), "created")
  expect_identical(ns2, ns)
})

test_that("the quiet option silences fastnma's messages, not its warnings", {
  d <- data.frame(study = c(1, 1, 2, 2), treatment = c("A", "B", "A", "B"),
                  events = c(0, 3, 0, 2), n = c(10, 10, 12, 12))
  expect_message(arm_contrasts(d, measure = "OR"), class = "fastnma_message")
  old <- options(fastnma.quiet = TRUE)
  on.exit(options(old))
  expect_silent(ac <- arm_contrasts(d, measure = "OR"))
  expect_s3_class(ac, "nma_contrasts")
})

# Shipped datasets: the MSC knee-OA register (msc_trials, msc_outcomes) and
# the five classic reference networks. The MSC checks repeat, on the shipped
# R objects, the structural checks listed in section 8 of the register's
# README (and done when building the data in data-raw/msc_data.R).

outcome_vocabulary <- c(
  "vas_pain", "womac_pain", "womac_stiffness", "womac_function",
  "womac_total", "koos_pain", "koos_total", "ae_any", "ae_treatment_related",
  "ae_serious", "ae_grade3plus", "jsw_change"
)

test_that("MSC datasets are plain data frames with the documented columns", {
  expect_identical(class(msc_trials), "data.frame")
  expect_identical(class(msc_outcomes), "data.frame")
  expect_named(msc_trials, c(
    "trial_id", "first_author", "year", "journal", "registry_id", "country",
    "arm", "class", "cell_product", "culture_expanded", "dose_cells",
    "n_randomized", "n_analysed", "followup_months", "source", "note"
  ))
  expect_named(msc_outcomes, c(
    "trial_id", "arm", "outcome", "scale", "timepoint_months", "measure", "n",
    "mean", "sd", "median", "q1", "q3", "events", "event_count", "source",
    "note"
  ))
  expect_false(any(vapply(msc_trials, is.factor, logical(1))))
  expect_false(any(vapply(msc_outcomes, is.factor, logical(1))))
})

test_that("every MSC row has a non-empty source URL", {
  for (d in list(msc_trials, msc_outcomes)) {
    expect_type(d$source, "character")
    expect_false(anyNA(d$source))
    expect_true(all(nzchar(trimws(d$source))))
    expect_true(all(grepl("^https?://", d$source)))
  }
})

test_that("MSC register has the documented size", {
  expect_identical(nrow(msc_trials), 82L)
  expect_identical(length(unique(msc_trials$trial_id)), 35L)
  expect_identical(nrow(msc_outcomes), 158L)
  expect_identical(length(unique(msc_outcomes$trial_id)), 9L)
  # rows per outcome, as listed in section 8 of the register's README
  expect_identical(
    c(table(msc_outcomes$outcome)),
    c(ae_any = 11L, ae_grade3plus = 4L, ae_serious = 20L,
      ae_treatment_related = 9L, jsw_change = 3L, vas_pain = 15L,
      womac_function = 23L, womac_pain = 25L, womac_stiffness = 23L,
      womac_total = 25L)
  )
})

test_that("arms are unique and every outcome row refers to an existing arm", {
  arm_key <- paste(msc_trials$trial_id, msc_trials$arm, sep = "\r")
  expect_false(anyDuplicated(arm_key) > 0)
  expect_false(anyNA(msc_trials$trial_id) || anyNA(msc_trials$arm))
  out_key <- paste(msc_outcomes$trial_id, msc_outcomes$arm, sep = "\r")
  expect_true(all(out_key %in% arm_key))
  row_key <- paste(out_key, msc_outcomes$outcome, msc_outcomes$timepoint_months,
                   msc_outcomes$measure, sep = "\r")
  expect_false(anyDuplicated(row_key) > 0)
})

test_that("categorical MSC columns take only the allowed values", {
  expect_true(all(msc_trials$class %in% c("Allo", "Auto", "Control", NA)))
  # class is missing only for the two arms whose sources do not say
  expect_setequal(msc_trials$trial_id[is.na(msc_trials$class)],
                  c("cheng2019", "hou2016"))
  expect_type(msc_trials$culture_expanded, "logical")
  expect_true(all(is.na(
    msc_trials$culture_expanded[msc_trials$class %in% "Control"]
  )))
  expect_true(all(msc_outcomes$outcome %in% outcome_vocabulary))
  expect_true(all(msc_outcomes$measure %in% c("endpoint", "change", NA)))
  # adverse-event rows have no measure, efficacy rows always have one
  is_ae <- startsWith(msc_outcomes$outcome, "ae_")
  expect_true(all(is.na(msc_outcomes$measure[is_ae])))
  expect_false(anyNA(msc_outcomes$measure[!is_ae]))
})

test_that("integer and numeric MSC fields have the right types and ranges", {
  for (col in c("year", "n_randomized", "n_analysed")) {
    expect_type(msc_trials[[col]], "integer")
    expect_true(all(msc_trials[[col]] >= 0L, na.rm = TRUE))
  }
  expect_type(msc_trials$followup_months, "double")
  for (col in c("n", "events", "event_count")) {
    expect_type(msc_outcomes[[col]], "integer")
    expect_true(all(msc_outcomes[[col]] >= 0L, na.rm = TRUE))
  }
  for (col in c("timepoint_months", "mean", "sd", "median", "q1", "q3")) {
    expect_type(msc_outcomes[[col]], "double")
  }
  expect_false(anyNA(msc_outcomes$timepoint_months))
  expect_true(all(msc_outcomes$sd >= 0, na.rm = TRUE))
})

test_that("events <= n and q1 <= median <= q3 in every MSC outcome row", {
  ev <- msc_outcomes$events
  expect_false(any(!is.na(ev) & is.na(msc_outcomes$n)))
  expect_true(all(ev <= msc_outcomes$n, na.rm = TRUE))
  expect_true(all(ev <= msc_outcomes$event_count, na.rm = TRUE))
  expect_true(all(msc_outcomes$q1 <= msc_outcomes$median, na.rm = TRUE))
  expect_true(all(msc_outcomes$median <= msc_outcomes$q3, na.rm = TRUE))
  expect_true(all(msc_outcomes$q1 <= msc_outcomes$q3, na.rm = TRUE))
})

test_that("each MSC trial has a Control arm and a cell-therapy arm", {
  # A cell-therapy arm is any non-Control arm, including the two MSC arms
  # whose class is unknown (Cheng 2019, Hou 2016).
  has_control <- tapply(msc_trials$class %in% "Control", msc_trials$trial_id, any)
  has_cell <- tapply(!msc_trials$class %in% "Control", msc_trials$trial_id, any)
  expect_true(all(has_control), label = "every trial has a Control arm")
  expect_true(all(has_cell), label = "every trial has a cell-therapy arm")
})

test_that("raw MSC files are shipped and match the datasets", {
  trials_csv <- system.file("extdata", "msc_trials.csv", package = "fastnma")
  outcomes_csv <- system.file("extdata", "msc_outcomes.csv", package = "fastnma")
  skip_if(!nzchar(trials_csv) || !nzchar(outcomes_csv), "extdata not found")
  raw_trials <- utils::read.csv(trials_csv, colClasses = "character",
                                na.strings = character())
  raw_outcomes <- utils::read.csv(outcomes_csv, colClasses = "character",
                                  na.strings = character())
  expect_identical(nrow(raw_trials), nrow(msc_trials))
  expect_identical(nrow(raw_outcomes), nrow(msc_outcomes))
  expect_identical(raw_trials$source_url, msc_trials$source)
  expect_identical(raw_outcomes$source_url, msc_outcomes$source)
  # empty cells became NA, never zero
  expect_identical(raw_outcomes$events == "", is.na(msc_outcomes$events))
  expect_identical(raw_outcomes$mean == "", is.na(msc_outcomes$mean))
  expect_equal(as.numeric(raw_outcomes$sd[raw_outcomes$sd != ""]),
               msc_outcomes$sd[!is.na(msc_outcomes$sd)])
})

test_that("the extraction template holds placeholders and no numbers", {
  path <- system.file("extdata", "msc_extraction_template.csv",
                      package = "fastnma")
  skip_if(!nzchar(path), "extdata not found")
  tmpl <- utils::read.csv(path, colClasses = "character",
                          na.strings = character())
  expect_named(tmpl, c("study", "treatment", "class", "n", "mean", "sd",
                       "median", "q1", "q3", "min", "max", "events", "outcome",
                       "timepoint_months", "source"))
  expect_true(all(startsWith(tmpl$source, "TEMPLATE")))
  expect_false(any(grepl("[0-9]", unlist(tmpl))))
})

# ---------------------------------------------------------------------------
# Classic reference networks
# ---------------------------------------------------------------------------

test_that("classic networks have the expected shape and no missing values", {
  expected <- list(
    senn2013 = list(dim = c(28L, 5L), studies = 26L, treatments = 10L),
    stowe2010 = list(dim = c(59L, 5L), studies = 29L, treatments = 4L),
    franchini2012 = list(dim = c(15L, 5L), studies = 7L, treatments = 5L),
    smokingcessation = list(dim = c(50L, 4L), studies = 24L, treatments = 4L),
    dong2013 = list(dim = c(99L, 4L), studies = 41L, treatments = 6L)
  )
  datasets <- list(senn2013 = senn2013, stowe2010 = stowe2010,
                   franchini2012 = franchini2012,
                   smokingcessation = smokingcessation, dong2013 = dong2013)
  for (name in names(expected)) {
    d <- datasets[[name]]
    e <- expected[[name]]
    expect_identical(class(d), "data.frame", label = name)
    expect_identical(dim(d), e$dim, label = name)
    expect_false(anyNA(d), label = name)
    expect_false(any(vapply(d, is.factor, logical(1))), label = name)
    expect_type(d$study, "character")
    expect_identical(length(unique(d$study)), e$studies, label = name)
    trts <- if ("treatment" %in% names(d)) d$treatment else c(d$treat1, d$treat2)
    expect_type(trts, "character")
    expect_identical(length(unique(trts)), e$treatments, label = name)
  }
})

test_that("classic networks keep their published column names and types", {
  expect_named(senn2013, c("study", "treat1", "treat2", "TE", "seTE"))
  expect_true(all(senn2013$seTE > 0))
  for (d in list(stowe2010, franchini2012)) {
    expect_named(d, c("study", "treatment", "mean", "sd", "n"))
    expect_type(d$n, "integer")
    expect_true(all(d$sd > 0 & d$n > 0))
  }
  for (d in list(smokingcessation, dong2013)) {
    expect_named(d, c("study", "treatment", "events", "n"))
    expect_type(d$events, "integer")
    expect_true(all(d$events >= 0L & d$events <= d$n))
  }
  # multi-arm studies as documented
  expect_identical(sum(table(stowe2010$study) > 2), 1L)
  expect_identical(sum(table(franchini2012$study) > 2), 1L)
  expect_identical(sum(table(smokingcessation$study) > 2), 2L)
  expect_identical(sum(table(dong2013$study) > 2), 10L)
  expect_identical(sum(table(senn2013$study) > 1), 1L)
  # Dong 2013: 52,462 patients, 2,408 deaths, 3 studies without any death
  expect_identical(sum(dong2013$n), 52462L)
  expect_identical(sum(dong2013$events), 2408L)
  expect_identical(sum(tapply(dong2013$events, dong2013$study, sum) == 0), 3L)
  # Stowe 2010: 5,331 patients
  expect_identical(sum(stowe2010$n), 5331L)
})

test_that("classic networks equal the shipped reference input files", {
  files <- c(senn2013 = "Senn2013_input.csv", stowe2010 = "Stowe2010_input.csv",
             franchini2012 = "Franchini2012_input.csv",
             smokingcessation = "smokingcessation_input.csv",
             dong2013 = "Dong2013_input.csv")
  datasets <- list(senn2013 = senn2013, stowe2010 = stowe2010,
                   franchini2012 = franchini2012,
                   smokingcessation = smokingcessation, dong2013 = dong2013)
  for (name in names(files)) {
    path <- system.file("extdata", files[[name]], package = "fastnma")
    skip_if(!nzchar(path), "extdata not found")
    raw <- utils::read.csv(path, stringsAsFactors = FALSE)
    expect_equal(raw, datasets[[name]], ignore_attr = TRUE, label = name)
  }
})

# Build the `msc_trials` and `msc_outcomes` datasets.
#
# Source: inst/extdata/msc_trials.csv and inst/extdata/msc_outcomes.csv,
# byte-identical copies of the curated register in
# shared/data/msc-koa/{trials,outcomes}.csv (see its README for the
# provenance rules). Run from the package root:
#
#   Rscript data-raw/msc_data.R
#
# The script
#   1. reads both files as text (nothing is parsed before it is checked),
#   2. repeats the structural checks of section 8 of the register's README
#      (plus a few checks implied by its data dictionary) and stops with an
#      informative error if any fails,
#   3. converts the fields to their types (integer, numeric, logical;
#      empty cell -> NA, i.e. "not reported", never zero), renames
#      `source_url` to `source`, and
#   4. saves data/msc_trials.rda and data/msc_outcomes.rda.
#
# Numbers are converted with as.integer()/as.numeric() from the text exactly
# as printed: nothing is imputed, rounded or back-calculated. Trailing zeros
# ("23.0", "9.80") are lost in the numeric columns; the CSV files in
# inst/extdata keep the printed text.

trials_file <- file.path("inst", "extdata", "msc_trials.csv")
outcomes_file <- file.path("inst", "extdata", "msc_outcomes.csv")
stopifnot(file.exists(trials_file), file.exists(outcomes_file))

read_text_csv <- function(path) {
  utils::read.csv(
    path,
    colClasses = "character",
    na.strings = character(), # keep every cell as printed, "" for empty
    check.names = FALSE,
    strip.white = FALSE,
    encoding = "UTF-8"
  )
}

trials_raw <- read_text_csv(trials_file)
outcomes_raw <- read_text_csv(outcomes_file)

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

problems <- character()
fail <- function(msg) problems <<- c(problems, msg)

where <- function(data, rows) {
  rows <- which(rows)
  if (length(rows) == 0L) return("")
  lab <- sprintf("line %d (%s / %s)", rows + 1L, data$trial_id[rows], data$arm[rows])
  if (length(lab) > 5L) lab <- c(lab[1:5], sprintf("... and %d more", length(lab) - 5L))
  paste(lab, collapse = "; ")
}

# 1. headers ---------------------------------------------------------------
trials_header <- c(
  "trial_id", "first_author", "year", "journal", "registry_id", "country",
  "arm", "class", "cell_product", "culture_expanded", "dose_cells",
  "n_randomized", "n_analysed", "followup_months", "source_url", "note"
)
outcomes_header <- c(
  "trial_id", "arm", "outcome", "scale", "timepoint_months", "measure", "n",
  "mean", "sd", "median", "q1", "q3", "events", "event_count", "source_url",
  "note"
)
if (!identical(names(trials_raw), trials_header)) {
  stop("msc_trials.csv: header is\n  ", paste(names(trials_raw), collapse = ", "),
       "\nexpected\n  ", paste(trials_header, collapse = ", "), call. = FALSE)
}
if (!identical(names(outcomes_raw), outcomes_header)) {
  stop("msc_outcomes.csv: header is\n  ", paste(names(outcomes_raw), collapse = ", "),
       "\nexpected\n  ", paste(outcomes_header, collapse = ", "), call. = FALSE)
}

# 2. unique arms -------------------------------------------------------------
arm_key <- paste(trials_raw$trial_id, trials_raw$arm, sep = "\r")
if (anyDuplicated(arm_key)) {
  fail(paste("msc_trials.csv: duplicated (trial_id, arm):",
             where(trials_raw, duplicated(arm_key))))
}
if (any(trials_raw$trial_id == "" | trials_raw$arm == "")) {
  fail(paste("msc_trials.csv: empty trial_id or arm:",
             where(trials_raw, trials_raw$trial_id == "" | trials_raw$arm == "")))
}

# 3. each (trial_id, arm) of outcomes exists in trials ------------------------
out_key <- paste(outcomes_raw$trial_id, outcomes_raw$arm, sep = "\r")
bad <- !out_key %in% arm_key
if (any(bad)) {
  fail(paste("msc_outcomes.csv: (trial_id, arm) not in msc_trials.csv:",
             where(outcomes_raw, bad)))
}

# 4. every row has a non-empty source_url ------------------------------------
for (nm in c("trials", "outcomes")) {
  d <- get(paste0(nm, "_raw"))
  bad <- trimws(d$source_url) == ""
  if (any(bad)) fail(sprintf("msc_%s.csv: empty source_url: %s", nm, where(d, bad)))
  bad <- !grepl("^https?://", d$source_url) & !bad
  if (any(bad)) fail(sprintf("msc_%s.csv: source_url is not a URL: %s", nm, where(d, bad)))
}

# 5. allowed values ------------------------------------------------------------
allowed_class <- c("Allo", "Auto", "Control", "") # "" = not determinable
allowed_culture <- c("TRUE", "FALSE", "NA")
allowed_outcome <- c(
  "vas_pain", "womac_pain", "womac_stiffness", "womac_function",
  "womac_total", "koos_pain", "koos_total", "ae_any", "ae_treatment_related",
  "ae_serious", "ae_grade3plus", "jsw_change"
)
allowed_measure <- c("endpoint", "change", "")
check_allowed <- function(d, file, col, allowed) {
  bad <- !d[[col]] %in% allowed
  if (any(bad)) {
    fail(sprintf("%s: `%s` must be one of {%s}; found {%s} at %s", file, col,
                 paste0('"', allowed, '"', collapse = ", "),
                 paste0('"', unique(d[[col]][bad]), '"', collapse = ", "),
                 where(d, bad)))
  }
}
check_allowed(trials_raw, "msc_trials.csv", "class", allowed_class)
check_allowed(trials_raw, "msc_trials.csv", "culture_expanded", allowed_culture)
check_allowed(outcomes_raw, "msc_outcomes.csv", "outcome", allowed_outcome)
check_allowed(outcomes_raw, "msc_outcomes.csv", "measure", allowed_measure)
# data dictionary: culture_expanded is NA for every control arm
bad <- trials_raw$class == "Control" & trials_raw$culture_expanded != "NA"
if (any(bad)) {
  fail(paste("msc_trials.csv: control arm with culture_expanded != NA:",
             where(trials_raw, bad)))
}
# data dictionary: "NA" appears only in culture_expanded
for (nm in c("trials", "outcomes")) {
  d <- get(paste0(nm, "_raw"))
  cols <- setdiff(names(d), "culture_expanded")
  bad <- Reduce(`|`, lapply(d[cols], function(v) v == "NA"))
  if (any(bad)) fail(sprintf("msc_%s.csv: literal NA outside culture_expanded: %s",
                             nm, where(d, bad)))
}

# 6. integer and numeric fields -------------------------------------------------
int_re <- "^[0-9]+$"
num_re <- "^-?[0-9]+(\\.[0-9]+)?$"
check_format <- function(d, file, cols, re, what) {
  for (col in cols) {
    bad <- d[[col]] != "" & !grepl(re, d[[col]])
    if (any(bad)) {
      fail(sprintf("%s: `%s` must be empty or %s; found {%s} at %s", file, col,
                   what, paste0('"', unique(d[[col]][bad]), '"', collapse = ", "),
                   where(d, bad)))
    }
  }
}
trials_int <- c("year", "n_randomized", "n_analysed")
trials_num <- c("followup_months")
outcomes_int <- c("n", "events", "event_count")
outcomes_num <- c("timepoint_months", "mean", "sd", "median", "q1", "q3")
check_format(trials_raw, "msc_trials.csv", trials_int, int_re, "a non-negative integer")
check_format(trials_raw, "msc_trials.csv", trials_num, num_re, "a number")
check_format(outcomes_raw, "msc_outcomes.csv", outcomes_int, int_re, "a non-negative integer")
check_format(outcomes_raw, "msc_outcomes.csv", outcomes_num, num_re, "a number")
bad <- outcomes_raw$sd != "" & suppressWarnings(as.numeric(outcomes_raw$sd)) < 0
if (any(bad %in% TRUE)) fail(paste("msc_outcomes.csv: negative sd:", where(outcomes_raw, bad %in% TRUE)))
bad <- outcomes_raw$timepoint_months == ""
if (any(bad)) fail(paste("msc_outcomes.csv: empty timepoint_months:", where(outcomes_raw, bad)))

# Stop here if the formats are wrong: the comparisons below need numbers.
if (length(problems)) {
  stop("MSC register failed validation:\n* ", paste(problems, collapse = "\n* "),
       call. = FALSE)
}

num <- function(x) ifelse(x == "", NA_real_, as.numeric(x))

# 7. events <= n (and events <= event_count) ----------------------------------
ev <- num(outcomes_raw$events)
nn <- num(outcomes_raw$n)
ec <- num(outcomes_raw$event_count)
bad <- !is.na(ev) & !is.na(nn) & ev > nn
if (any(bad)) fail(paste("msc_outcomes.csv: events > n:", where(outcomes_raw, bad)))
bad <- !is.na(ev) & !is.na(ec) & ev > ec
if (any(bad)) fail(paste("msc_outcomes.csv: events (patients) > event_count (events):",
                         where(outcomes_raw, bad)))
bad <- !is.na(ev) & is.na(nn)
if (any(bad)) fail(paste("msc_outcomes.csv: events without a denominator n:",
                         where(outcomes_raw, bad)))

# 8. q1 <= median <= q3 -------------------------------------------------------
md <- num(outcomes_raw$median)
q1 <- num(outcomes_raw$q1)
q3 <- num(outcomes_raw$q3)
bad <- (!is.na(q1) & !is.na(md) & q1 > md) | (!is.na(md) & !is.na(q3) & md > q3) |
  (!is.na(q1) & !is.na(q3) & q1 > q3)
if (any(bad)) fail(paste("msc_outcomes.csv: q1 <= median <= q3 violated:",
                         where(outcomes_raw, bad)))

# 9. each trial has >= 1 Control arm and >= 1 cell arm --------------------------
# A "cell arm" is any arm whose class is not "Control". This includes the two
# arms whose class could not be determined (Cheng 2019 and Hou 2016 BM-MSC
# arms, class empty), which is how the register's own validation passed.
by_trial <- split(trials_raw$class, trials_raw$trial_id)
no_control <- names(by_trial)[!vapply(by_trial, function(k) any(k == "Control"), logical(1))]
no_cell <- names(by_trial)[!vapply(by_trial, function(k) any(k != "Control"), logical(1))]
if (length(no_control)) fail(paste("msc_trials.csv: trials without a Control arm:",
                                   paste(no_control, collapse = ", ")))
if (length(no_cell)) fail(paste("msc_trials.csv: trials without a cell-therapy arm:",
                                paste(no_cell, collapse = ", ")))

# trial-level fields are constant within a trial
for (col in c("first_author", "year", "journal", "registry_id", "country")) {
  k <- tapply(trials_raw[[col]], trials_raw$trial_id, function(v) length(unique(v)))
  if (any(k > 1L)) fail(sprintf("msc_trials.csv: `%s` differs between arms of %s",
                                col, paste(names(k)[k > 1L], collapse = ", ")))
}

# one row per (trial_id, arm, outcome, timepoint_months, measure)
row_key <- do.call(paste, c(outcomes_raw[c("trial_id", "arm", "outcome",
                                           "timepoint_months", "measure")], sep = "\r"))
if (anyDuplicated(row_key)) {
  fail(paste("msc_outcomes.csv: duplicated (trial_id, arm, outcome, timepoint_months, measure):",
             where(outcomes_raw, duplicated(row_key))))
}

if (length(problems)) {
  stop("MSC register failed validation:\n* ", paste(problems, collapse = "\n* "),
       call. = FALSE)
}

# ---------------------------------------------------------------------------
# Types, names, save
# ---------------------------------------------------------------------------

to_types <- function(d, ints, nums, lgls = character()) {
  for (col in names(d)) {
    v <- d[[col]]
    d[[col]] <- if (col %in% ints) {
      as.integer(ifelse(v == "", NA_character_, v))
    } else if (col %in% nums) {
      as.numeric(ifelse(v == "", NA_character_, v))
    } else if (col %in% lgls) {
      as.logical(ifelse(v == "NA", NA_character_, v))
    } else {
      ifelse(v == "", NA_character_, v) # empty = not reported
    }
  }
  names(d)[names(d) == "source_url"] <- "source"
  rownames(d) <- NULL
  d
}

msc_trials <- to_types(trials_raw, trials_int, trials_num, "culture_expanded")
msc_outcomes <- to_types(outcomes_raw, outcomes_int, outcomes_num)

# Round trip: every converted number equals the printed text read as a number.
stopifnot(
  is.data.frame(msc_trials), is.data.frame(msc_outcomes),
  !anyNA(msc_trials$source), all(nzchar(msc_trials$source)),
  !anyNA(msc_outcomes$source), all(nzchar(msc_outcomes$source)),
  identical(sum(is.na(msc_trials$n_randomized)), sum(trials_raw$n_randomized == "")),
  identical(sum(is.na(msc_outcomes$mean)), sum(outcomes_raw$mean == "")),
  isTRUE(all.equal(msc_outcomes$median[!is.na(msc_outcomes$median)],
                   as.numeric(outcomes_raw$median[outcomes_raw$median != ""]),
                   tolerance = 0))
)

message(sprintf(
  "msc_trials: %d trials, %d arms (Allo %d, Auto %d, Control %d, class unknown %d); msc_outcomes: %d rows",
  length(unique(msc_trials$trial_id)), nrow(msc_trials),
  sum(msc_trials$class %in% "Allo"), sum(msc_trials$class %in% "Auto"),
  sum(msc_trials$class %in% "Control"), sum(is.na(msc_trials$class)),
  nrow(msc_outcomes)
))

dir.create("data", showWarnings = FALSE)
save(msc_trials, file = file.path("data", "msc_trials.rda"), compress = "xz", version = 2)
save(msc_outcomes, file = file.path("data", "msc_outcomes.rda"), compress = "xz", version = 2)

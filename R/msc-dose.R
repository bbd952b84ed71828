#' Simulate MSC trials whose cell effect changes with the dose of cells
#'
#' Simulates arm-level WOMAC pain outcomes for the trials of the MSC register
#' ([msc_trials]: the real trials, arms and arm sizes) in which the effect of
#' cells versus control changes linearly with the logarithm of the number of
#' cells injected. **The outcome values are simulated, and so are most of the
#' doses**: every row says so in its `source` column, the column `simulated`
#' is `TRUE` and the result carries `attr(, "simulated") = TRUE`. Use it to
#' check that [nma_regression()] recovers a declared dose slope on the
#' network of the register; never as evidence about MSCs or their dose.
#'
#' @section Doses:
#' The covariate `dose` is \eqn{\log_{10}} of the number of cells per
#' injection, one value per trial (a study-level covariate, as
#' [nma_regression()] requires).
#' * **From the register**: where the register's `dose_cells` of every cell
#'   arm of a trial is a single number (`"40e6"`, `"3.9e6"`, `"1e8"`, ...),
#'   the trial's dose is the mean of the \eqn{\log_{10}} of those numbers
#'   (the geometric mean dose when a trial has arms at several doses; for
#'   example Lamo-Espinosa 2016, 10 and 100 million cells, gets
#'   \eqn{\log_{10}} dose 7.5). Column `dose_from` is `"register"`.
#' * **Declared by the simulation**: every other trial (no dose recorded,
#'   doses as ranges, pooled doses, repeated injections or words such as
#'   "high dose") gets a dose drawn with the seed, uniformly on
#'   `dose_range` (default 6.5 to 8.5, i.e. about 3 million to 300 million
#'   cells). Column `dose_from` is `"simulated"`.
#'
#' @section Model:
#' Arms without a class or an arm size are left out, and so are trials left
#' with one class (listed in `attr(, "left_out")`). Arms of one class in one
#' trial (doses of one product) are merged into one arm with the summed size.
#' For trial \eqn{i} with dose \eqn{x_i} and class \eqn{t} the arm mean is
#' drawn as
#' \deqn{\bar y_{it} \sim N(\mu_i + \delta_t + \beta (x_i - x_0) + b_{it},
#' \sigma^2 / n_{it}), \quad \mu_i \sim N(\mu_0, 1), \quad b_{it} \sim N(0,
#' \tau^2/2),}
#' with \eqn{\delta_{Control} = 0} and no dose term for Control arms: the
#' effect of class \eqn{t} versus Control at dose \eqn{x} is \eqn{\delta_t +
#' \beta (x - x_0)}, one slope \eqn{\beta} common to both classes (the model
#' `nma_regression(assumption = "common", center = x0)` fits). The arm SD is
#' \eqn{\sigma \sqrt{\chi^2_{n - 1}/(n - 1)}}. Means and SDs are rounded to
#' three decimals.
#'
#' @param seed Random seed (the global random state is left as it was).
#' @param effects Named vector of the true effects of the cell classes versus
#'   Control on WOMAC pain at the reference dose (mean difference; negative =
#'   less pain). Default `c(Allo = -1.5, Auto = -1.0)`.
#' @param slope True change of the effect of cells versus Control per
#'   tenfold increase in the number of cells (per unit of
#'   \eqn{\log_{10}} cells). Default `-0.5`: ten times more cells, half a
#'   point less pain.
#' @param reference_dose \eqn{x_0}, the reference dose as \eqn{\log_{10}}
#'   cells (default 7, i.e. 10 million cells), at which `effects` apply.
#' @param dose_range The interval of \eqn{\log_{10}} cells on which doses not
#'   in the register are drawn (default `c(6.5, 8.5)`).
#' @param tau Between-study SD of the contrasts (default 0.3).
#' @param sd Within-arm SD (default 4).
#' @param control_mean \eqn{\mu_0} (default 8).
#' @param trials The register (default [msc_trials]).
#' @return A data frame, one row per (merged) arm: `study, treatment` (the
#'   class), `class, n, mean, sd`, `cells` (cells per injection), `dose`
#'   (\eqn{\log_{10}} `cells`, the trial's dose), `dose_from`, `outcome`,
#'   `simulated` (`TRUE`), `source`. Attributes: `simulated` (`TRUE`),
#'   `truth` (a data frame of the declared effects at the reference dose and
#'   the slope), `reference_dose` and `left_out` (trials not simulated and
#'   why).
#' @seealso [nma_regression()], [simulate_msc_extraction()].
#' @references
#' Dias S, Sutton AJ, Welton NJ, Ades AE (2013). Evidence synthesis for
#' decision making 3: heterogeneity--subgroups, meta-regression, bias, and
#' bias-adjustment. *Medical Decision Making* 33(5):618-640.
#' \doi{10.1177/0272989X13485157}
#' @examples
#' sim <- simulate_msc_dose(seed = 11)
#' unique(sim[, c("study", "dose", "dose_from")])
#' attr(sim, "truth")
#' fit <- nma(arm_contrasts(sim, study, treatment, n, mean, sd, measure = "MD"),
#'            reference = "Control")
#' nma_regression(fit, dose, data = sim, center = 7)
#' @export
simulate_msc_dose <- function(seed, effects = c(Allo = -1.5, Auto = -1.0),
                              slope = -0.5, reference_dose = 7,
                              dose_range = c(6.5, 8.5), tau = 0.3, sd = 4,
                              control_mean = 8, trials = fastnma::msc_trials) {
  if (missing(seed) || !is.numeric(seed) || length(seed) != 1L || !is.finite(seed)) {
    abort_fastnma("{.arg seed} must be a single number.", "seed")
  }
  check_named_effects(effects, "effects")
  if (!setequal(names(effects), c("Allo", "Auto"))) {
    abort_fastnma(c(
      "{.arg effects} must name the classes {.val {c('Allo', 'Auto')}}.",
      "x" = "It names {.val {names(effects)}}."
    ), "effects")
  }
  for (a in c("slope", "reference_dose", "control_mean")) {
    v <- get(a)
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v)) {
      abort_fastnma("{.arg {a}} must be a single finite number.", "effects")
    }
  }
  check_msc_simulation(dose_range, tau, sd)
  reg <- msc_register_arms(trials, c("Control", names(effects)))
  arms <- reg$arms
  left_out <- reg$left_out
  # Arms of one class in one trial: one arm.
  cell_arm <- arms$class != "Control"
  # the trial's dose: mean log10 dose of its cell arms, if all are sourced
  ld <- tapply(log10(arms$cells[cell_arm]), arms$study[cell_arm], mean)
  m <- merge_trial_arms(arms, "class", left_out, "one class left with an arm size")
  arms <- m$arms
  left_out <- m$left_out
  studies <- unique(arms$study)
  s <- match(arms$study, studies)
  dose <- unname(ld[studies])
  dose[is.na(dose)] <- NA_real_
  from <- ifelse(is.na(dose), "simulated", "register")
  delta <- c(Control = 0, effects)[arms$class]
  is_cell <- arms$class != "Control"
  with_seed(seed, {
    drawn <- stats::runif(length(studies), dose_range[1], dose_range[2])
    mu <- stats::rnorm(length(studies), control_mean, 1)
    b <- stats::rnorm(nrow(arms), 0, tau / sqrt(2))
    dose[is.na(dose)] <- drawn[is.na(dose)]
    true_mean <- mu[s] + delta + is_cell * slope * (dose[s] - reference_dose) + b
    y <- stats::rnorm(nrow(arms), true_mean, sd / sqrt(arms$n))
    s_arm <- sd * sqrt(stats::rchisq(nrow(arms), arms$n - 1) / (arms$n - 1))
  })
  src <- sprintf(paste0("SIMULATED: simulate_msc_dose(seed = %s); real arm and n from msc_trials; ",
                        "outcome values and doses marked simulated are not data"), format(seed))
  out <- data.frame(study = arms$study, treatment = arms$class, class = arms$class,
                    n = arms$n, mean = round(unname(y), 3), sd = round(s_arm, 3),
                    cells = 10^dose[s], dose = dose[s], dose_from = from[s],
                    outcome = "womac_pain", simulated = TRUE, source = src,
                    stringsAsFactors = FALSE)
  truth <- data.frame(
    term = c(paste(names(effects), "vs Control"), "slope"),
    value = c(unname(effects), slope),
    meaning = c(sprintf("mean difference at the reference dose (log10 cells = %g)", reference_dose)[c(1, 1)],
                "change of the effect of cells vs Control per log10 cells"),
    stringsAsFactors = FALSE)
  structure(out, simulated = TRUE, truth = truth, reference_dose = reference_dose,
            left_out = left_out)
}

# The arms of a simulated trial that share the group `by` (a treatment, a
# class) made one arm, their sizes summed; trials left with one group are
# set aside and added to `left_out` with `reason`.
merge_trial_arms <- function(arms, by, left_out, reason) {
  key <- paste(arms$study, arms[[by]], sep = "\r")
  sizes <- tapply(arms$n, factor(key, levels = unique(key)), sum)
  arms <- arms[!duplicated(key), , drop = FALSE]
  arms$n <- as.integer(sizes[paste(arms$study, arms[[by]], sep = "\r")])
  n_groups <- tapply(arms[[by]], arms$study, function(g) length(unique(g)))
  lone <- names(n_groups)[n_groups < 2L]
  if (length(lone)) {
    left_out <- rbind(left_out, data.frame(study = lone, reason = reason,
                                           stringsAsFactors = FALSE))
    arms <- arms[!(arms$study %in% lone), , drop = FALSE]
  }
  rownames(arms) <- NULL
  list(arms = arms, left_out = left_out)
}

#' Simulate MSC trials with a dose-response curve per cell type
#'
#' Simulates arm-level WOMAC pain outcomes for the trials of the MSC register
#' ([msc_trials]: the real trials, arms and arm sizes) in which the effect of
#' each cell type (Allo, Auto) versus Control is a declared \eqn{E_{\max}}
#' curve of the number of cells injected, zero at no cells: the model
#' [dose_nma()] fits. **The outcome values are simulated, and so are the
#' doses the register does not give**: every row says so in its `source`
#' column, `simulated` is `TRUE` and the result carries `attr(, "simulated")
#' = TRUE`. Use it to check that [dose_nma()] recovers a declared
#' dose-response on the network of the register; never as evidence about
#' MSCs or their dose. ([simulate_msc_dose()] simulates a different model,
#' a class effect plus a slope in \eqn{\log_{10}} dose, which is not zero at
#' no cells and so is not a model of [dose_nma()].)
#'
#' @section Doses:
#' The dose of an arm is the number of cells per injection in millions, one
#' value per arm (arms of one trial at different doses stay separate arms).
#' Control arms have dose 0.
#' * **From the register**: where the register's `dose_cells` of a cell arm
#'   is a single number (`"40e6"`, `"3.9e6"`, `"1e8"`, ...), that number
#'   divided by \eqn{10^6}. Column `dose_from` is `"register"`.
#' * **Declared by the simulation**: every other cell arm (no dose recorded,
#'   ranges, pooled doses, repeated injections, words such as "high dose")
#'   gets a dose drawn with the seed, \eqn{\log_{10}} cells uniform on
#'   `dose_range` (as in [simulate_msc_dose()]), rounded to 0.1 million.
#'   Column `dose_from` is `"simulated"`.
#'
#' @section Model:
#' Arms without a class or an arm size are left out; the Control arms of a
#' trial are merged into one arm with the summed size, and so are cell arms
#' of one class at the same dose; trials left with one arm are set aside
#' (all listed in `attr(, "left_out")`). For trial \eqn{i} and arm \eqn{j} of
#' class \eqn{t} at dose \eqn{x} (millions of cells) the arm mean is drawn as
#' \deqn{\bar y_{ij} \sim N(\mu_i + f_t(x) + b_{ij}, \sigma^2 / n_{ij}),
#' \quad f_t(x) = E_{\max,t}\, x / (ED_{50,t} + x),}
#' \eqn{\mu_i \sim N(\mu_0, 1)}, \eqn{b_{ij} \sim N(0, \tau^2/2)},
#' \eqn{f_{Control} = 0}. The arm SD is \eqn{\sigma \sqrt{\chi^2_{n -
#' 1}/(n - 1)}}. Means and SDs are rounded to three decimals.
#'
#' @param seed Random seed (the global random state is left as it was).
#' @param emax Named vector of the declared \eqn{E_{\max}} of `Allo` and
#'   `Auto` (WOMAC pain mean difference versus Control at a very large dose;
#'   negative = less pain). Default `c(Allo = -3, Auto = -2)`.
#' @param ed50 Named vector of the declared \eqn{ED_{50}} (millions of
#'   cells) of `Allo` and `Auto`. Default `c(Allo = 20, Auto = 20)`.
#' @param dose_range The interval of \eqn{\log_{10}} cells on which doses not
#'   in the register are drawn (default `c(6.5, 8.5)`).
#' @param tau Between-study SD of the contrasts (default 0.3).
#' @param sd Within-arm SD (default 4).
#' @param control_mean \eqn{\mu_0} (default 8).
#' @param trials The register (default [msc_trials]).
#' @param ... Not used; netmeta's argument names stop with an error.
#' @return A data frame, one row per (merged) arm: `study`, `treatment`
#'   (`"<class>@<dose>"`, the label [dose_nma()] reads with `sep = "@"`),
#'   `class, dose` (millions of cells per injection; 0 for Control),
#'   `dose_from` (`"register"`, `"simulated"` or `"control"`), `n, mean, sd,
#'   outcome`, `simulated` (`TRUE`), `source`. Attributes: `simulated`
#'   (`TRUE`), `truth` (a data frame `agent, emax, ed50`) and `left_out`.
#' @seealso [dose_nma()], [simulate_msc_dose()], [simulate_dose_nma()].
#' @examples
#' sim <- simulate_msc_dose_nma(seed = 7)
#' sim[sim$dose_from == "register", c("study", "class", "dose")]
#' attr(sim, "truth")
#' ct <- arm_contrasts(sim, study, treatment, n, mean, sd, measure = "MD")
#' dose_nma(ct, sep = "@", method = "emax",
#'          ed50_class = c(Allo = "cells", Auto = "cells"))
#' @export
simulate_msc_dose_nma <- function(seed, emax = c(Allo = -3, Auto = -2),
                                  ed50 = c(Allo = 20, Auto = 20),
                                  dose_range = c(6.5, 8.5), tau = 0.3, sd = 4,
                                  control_mean = 8, trials = fastnma::msc_trials, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (missing(seed) || !is.numeric(seed) || length(seed) != 1L || !is.finite(seed)) {
    abort_fastnma("{.arg seed} must be a single number.", "seed")
  }
  for (a in c("emax", "ed50")) {
    v <- get(a)
    check_named_effects(v, a)
    if (!setequal(names(v), c("Allo", "Auto")) || any(!is.finite(v)) ||
        (a == "ed50" && any(v <= 0))) {
      abort_fastnma(c(
        "{.arg {a}} must name the classes {.val {c('Allo', 'Auto')}} with finite values{if (a == 'ed50') ' above 0' else ''}.",
        "x" = "It is {.val {paste(names(v), v, sep = ' = ')}}."
      ), "effects")
    }
  }
  if (!is.numeric(control_mean) || length(control_mean) != 1L || !is.finite(control_mean)) {
    abort_fastnma("{.arg control_mean} must be a single finite number.", "effects")
  }
  check_msc_simulation(dose_range, tau, sd)
  reg <- msc_register_arms(trials, c("Control", "Allo", "Auto"))
  arms <- reg$arms
  left_out <- reg$left_out
  names(arms)[names(arms) == "cells"] <- "dose"
  arms$dose <- arms$dose / 1e6
  is_ctrl <- arms$class == "Control"
  arms$dose[is_ctrl] <- 0
  arms$dose_from <- ifelse(is_ctrl, "control", ifelse(is.na(arms$dose), "simulated", "register"))
  with_seed(seed, {
    drawn <- stats::runif(nrow(arms), dose_range[1], dose_range[2])
    miss <- is.na(arms$dose)
    arms$dose[miss] <- round(10^(drawn[miss] - 6), 1)
    arms$treatment <- paste0(arms$class, "@", format(arms$dose, trim = TRUE, drop0trailing = TRUE,
                                                     scientific = FALSE))
    m <- merge_trial_arms(arms, "treatment", left_out, "one arm left with an arm size")
    arms <- m$arms
    left_out <- m$left_out
    studies <- unique(arms$study)
    s <- match(arms$study, studies)
    f <- ifelse(arms$class == "Control", 0,
                emax[arms$class] * arms$dose / (ed50[arms$class] + arms$dose))
    mu <- stats::rnorm(length(studies), control_mean, 1)
    b <- stats::rnorm(nrow(arms), 0, tau / sqrt(2))
    y <- stats::rnorm(nrow(arms), mu[s] + unname(f) + b, sd / sqrt(arms$n))
    s_arm <- sd * sqrt(stats::rchisq(nrow(arms), arms$n - 1) / (arms$n - 1))
  })
  src <- sprintf(paste0("SIMULATED: simulate_msc_dose_nma(seed = %s); real arm and n from msc_trials; ",
                        "outcome values and doses marked simulated are not data"), format(seed))
  out <- data.frame(study = arms$study, treatment = arms$treatment, class = arms$class,
                    dose = arms$dose, dose_from = arms$dose_from, n = arms$n,
                    mean = round(unname(y), 3), sd = round(s_arm, 3), outcome = "womac_pain",
                    simulated = TRUE, source = src, stringsAsFactors = FALSE)
  truth <- data.frame(agent = c("Allo", "Auto"), emax = unname(emax[c("Allo", "Auto")]),
                      ed50 = unname(ed50[c("Allo", "Auto")]), stringsAsFactors = FALSE)
  structure(out, simulated = TRUE, truth = truth, left_out = left_out)
}

# The settings the two dose simulations share: the interval of drawn doses,
# the between-study SD and the within-arm SD.
check_msc_simulation <- function(dose_range, tau, sd, call = rlang::caller_env()) {
  if (!is.numeric(dose_range) || length(dose_range) != 2L || any(!is.finite(dose_range)) ||
      dose_range[1] >= dose_range[2]) {
    abort_fastnma("{.arg dose_range} must be two finite numbers, the lower first.", "effects",
                  call = call)
  }
  for (a in c("tau", "sd")) {
    v <- get(a)
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < 0 || (a == "sd" && v == 0)) {
      abort_fastnma("{.arg {a}} must be a single non-negative number{if (a == 'sd') ' above 0' else ''}.",
                    "dispersion", call = call)
    }
  }
  invisible(TRUE)
}

# The arms of the register the dose simulations start from: arms of the
# given classes with an arm size (`study, class, n`) and their sourced
# cells per injection (`cells`: a single number such as "40e6", NA
# otherwise); `left_out`, the trials with an arm lacking class or size.
msc_register_arms <- function(trials, classes) {
  n <- ifelse(is.na(trials$n_randomized), trials$n_analysed, trials$n_randomized)
  cls <- trials$class
  keep <- !is.na(cls) & cls %in% classes & !is.na(n)
  left_out <- data.frame(study = unique(trials$trial_id[!keep]),
                         reason = "an arm without class or arm size", stringsAsFactors = FALSE)
  txt <- trimws(trials$dose_cells)
  single <- !is.na(txt) & grepl("^[0-9]+(\\.[0-9]+)?(e[0-9]+)?$", txt)
  cells <- ifelse(single, suppressWarnings(as.numeric(txt)), NA_real_)
  arms <- data.frame(study = trials$trial_id, class = cls, n = n, cells = cells,
                     stringsAsFactors = FALSE)
  list(arms = arms[keep & !(trials$trial_id %in% left_out$study), , drop = FALSE],
       left_out = left_out)
}

# Every class of bad input stops with a classed error naming study and column.

contrasts3 <- function() {
  data.frame(
    study = c("s1", "s2", "s3", "s3", "s3"),
    treat1 = c("A", "B", "A", "A", "B"),
    treat2 = c("B", "C", "B", "C", "C"),
    estimate = c(0.1, 0.2, 0.3, 0.5, 0.2),
    std.error = c(0.1, 0.2, 0.2, 0.25, 0.3)
  )
}

expect_fastnma_error <- function(expr, class, study = NULL) {
  err <- expect_error(expr, class = paste0("fastnma_error_", class))
  expect_s3_class(err, "fastnma_error")
  if (!is.null(study)) expect_true(any(grepl(study, conditionMessage(err), fixed = TRUE)))
  invisible(err)
}

test_that("standard errors must be present, finite and positive", {
  for (bad in list(NA, Inf, 0, -0.2)) {
    d <- contrasts3()
    d$std.error[2] <- bad
    err <- expect_fastnma_error(nma(d),
                                if (is.na(bad)) "missing" else "se", study = "s2")
    expect_true(grepl("std.error", conditionMessage(err), fixed = TRUE))
  }
})

test_that("estimates must be present and finite", {
  d <- contrasts3(); d$estimate[1] <- NA
  expect_fastnma_error(nma(d), "missing", "s1")
  d <- contrasts3(); d$estimate[1] <- -Inf
  expect_fastnma_error(nma(d), "estimate", "s1")
})

test_that("a treatment compared with itself is refused", {
  d <- contrasts3(); d$treat2[1] <- "A"
  expect_fastnma_error(nma(d), "self_comparison", "s1")
})

test_that("a pair repeated within a study is refused", {
  d <- rbind(contrasts3(), data.frame(study = "s1", treat1 = "B", treat2 = "A",
                                      estimate = -0.1, std.error = 0.1))
  err <- expect_fastnma_error(nma(d), "duplicate_pair", "s1")
  expect_identical(err$study, "s1")
})

test_that("an incomplete multi-arm study names the missing contrast", {
  d <- contrasts3()[-5, ]
  err <- expect_fastnma_error(nma(d), "multiarm", "s3")
  expect_true(grepl("B vs C", conditionMessage(err), fixed = TRUE))
})

test_that("inconsistent multi-arm contrasts name the contrast that breaks them", {
  d <- contrasts3(); d$estimate[5] <- 0.9
  err <- expect_fastnma_error(nma(d), "multiarm", "s3")
  expect_true(grepl("B vs C", conditionMessage(err), fixed = TRUE))
  d <- contrasts3(); d$std.error[3:5] <- c(0.1, 0.1, 1)
  expect_fastnma_error(nma(d), "multiarm", "s3")
})

test_that("a disconnected network lists its parts", {
  d <- rbind(contrasts3(), data.frame(study = "s4", treat1 = "D", treat2 = "E",
                                      estimate = 0, std.error = 0.3))
  err <- expect_fastnma_error(nma(d), "disconnected")
  expect_length(err$components, 2)
  expect_identical(err$components[[2]], c("D", "E"))
  expect_true(grepl("D, E", conditionMessage(err), fixed = TRUE))
})

test_that("fewer than two treatments, unknown reference and methods are refused", {
  d <- contrasts3()
  expect_fastnma_error(nma(d, reference = "Z"), "reference")
  expect_fastnma_error(nma(d, tau2_method = "EB"), "choice")
  expect_fastnma_error(nma(d, ci_method = "t"), "choice")
  expect_fastnma_error(nma(d, treat1 = nope), "column")
  expect_fastnma_error(nma(list(a = 1)), "data_frame")
  one <- data.frame(study = "s1", treat1 = "A", treat2 = "A", estimate = 0, std.error = 1)
  expect_fastnma_error(nma(one), "self_comparison")
  expect_fastnma_error(fastnma:::new_nma_network("s", "A", "A", 0, 1, "MD",
                                                 cols = list(treat1 = "t1", treat2 = "t2")),
                       "treatments")
})

arms <- function() {
  data.frame(study = c("a", "a", "b", "b"), treatment = c("T", "C", "T", "C"),
             events = c(1, 2, 3, 4), n = c(10, 10, 20, 20),
             mean = c(1, 2, 3, 4), sd = c(1, 1, 2, 2))
}

test_that("arm-level data are checked with the study and column named", {
  d <- arms(); d$events[3] <- -1
  err <- expect_fastnma_error(arm_contrasts(d, events = events, measure = "OR"), "arm_data", "b")
  expect_identical(err$column, "events")
  d <- arms(); d$events[1] <- 1.5
  expect_fastnma_error(arm_contrasts(d, events = events, measure = "OR"), "arm_data", "a")
  d <- arms(); d$events[1] <- 11
  expect_fastnma_error(arm_contrasts(d, events = events, measure = "RR"), "arm_data", "a")
  d <- arms(); d$n[4] <- 0
  err <- expect_fastnma_error(arm_contrasts(d, events = events, measure = "RD"), "arm_data", "b")
  expect_identical(err$column, "n")
  d <- arms(); d$sd[2] <- 0
  err <- expect_fastnma_error(arm_contrasts(d, mean = mean, sd = sd, measure = "MD"), "arm_data", "a")
  expect_identical(err$column, "sd")
  d <- arms(); d$treatment[2] <- "T"
  expect_fastnma_error(arm_contrasts(d, mean = mean, sd = sd, measure = "MD"), "duplicate_arm", "a")
  d <- arms(); d$mean[1] <- NA
  expect_fastnma_error(arm_contrasts(d, mean = mean, sd = sd, measure = "SMD"), "missing", "a")
  expect_fastnma_error(arm_contrasts(arms(), mean = mean, sd = sd, measure = "HR"), "choice")
})

test_that("no input crashes R or returns NaN silently", {
  # extreme but valid: tiny and huge standard errors
  d <- contrasts3(); d$std.error <- c(1e-8, 1e4, 1e-3, 1e-3, 1e-3)
  d$estimate[3:5] <- c(0.3, 0.5, 0.2)
  fit <- nma(d, tau2_method = "REML")
  expect_false(anyNA(tidy(fit)$estimate))
  expect_false(anyNA(glance(fit)$tau2))
})

test_that("Hartung-Knapp intervals need degrees of freedom", {
  tree <- data.frame(study = c("s1", "s2"), treat1 = c("A", "B"), treat2 = c("B", "C"),
                     estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  expect_fastnma_error(nma(tree, ci_method = "hk"), "hk")
  fit <- nma(tree, tau2_method = "DL")
  expect_identical(fit$df, 0L)
  expect_true(all(is.na(tidy(fit)$pred.low)))
  expect_false(anyNA(tidy(fit)$conf.low))
})

# The taxonomy ---------------------------------------------------------------

quiet <- function(expr) suppressMessages(suppressWarnings(expr))

# The objects the triggers below use.
trigger_fixtures <- function() {
  d <- contrasts3()
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL",
             reference = "plac")
  mh <- quiet(nma_binary(dong2013, measure = "OR"))
  iv <- quiet(nma_binary(dong2013, measure = "RR", method = "IV"))
  tree <- data.frame(study = c("s1", "s2"), treat1 = c("A", "B"), treat2 = c("B", "C"),
                     estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  star <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "D"),
                     treat2 = "A", estimate = c(0.1, 0.2, 0.3), std.error = 0.1)
  template <- system.file("extdata", "msc_extraction_template.csv", package = "fastnma")
  environment()
}

# One input for every class of the table.
class_triggers <- function() {
  list(
    label = quote(nma(transform(d, treat1 = replace(treat1, 1, " ")))),
    metadata = quote(nma(structure(quiet(arm_contrasts(dong2013, measure = "OR")), measure = NULL))),
    conf_int = quote(tidy(fit, conf.int = NA)),
    dots = quote(print(fit, digitz = 2)),
    numerical = quote(nma(transform(d, estimate = estimate * 1e95, std.error = std.error * 1e-95))),
    glossary = quote(fastnma_glossary("no_such_column")),
    tau2 = quote(nma(d, tau2 = -0.1)),
    data_frame = quote(nma(list(a = 1))),
    column = quote(nma(d, treat1 = nope)),
    missing = quote(nma(within(d, estimate[1] <- NA))),
    estimate = quote(nma(within(d, estimate[1] <- Inf))),
    se = quote(nma(within(d, std.error[2] <- 0))),
    self_comparison = quote(nma(within(d, treat2[1] <- "A"))),
    duplicate_pair = quote(nma(rbind(d, data.frame(study = "s1", treat1 = "B", treat2 = "A",
                                                   estimate = -0.1, std.error = 0.1)))),
    multiarm = quote(nma(d[-5, ])),
    disconnected = quote(nma(rbind(d, data.frame(study = "s4", treat1 = "D", treat2 = "E",
                                                 estimate = 0, std.error = 0.3)))),
    treatments = quote(inconsistency(nma(d[1, ]))),
    reference = quote(nma(d, reference = "Z")),
    arm_data = quote(arm_contrasts(within(arms(), events[3] <- -1), events = events,
                                   measure = "OR")),
    duplicate_arm = quote(arm_contrasts(within(arms(), treatment[2] <- "T"), mean = mean,
                                        sd = sd, measure = "MD")),
    singular = quote(local({fit$tau2 <- -100; node_split(fit)})),
    empty = quote(quiet(nma_binary(within(dong2013, events <- 0), measure = "OR"))),
    not_estimable = quote(quiet(nma_binary(within(dong2013, events[treatment == "LABA"] <- 0),
                                           method = "GLMM"))),
    fit_data = quote(local({fit$network$data$std.error[1] <- -1; node_split(fit)})),
    not_fit = quote(node_split(data.frame())),
    by_outcome = quote(node_split(quiet(nma_binary(rbind(cbind(dong2013, o = "a"),
                                                         cbind(dong2013, o = "b")),
                                                   measure = "OR", by = o)))),
    not_supported = quote(node_split(mh)),
    model = quote(tidy(mh, model = "random")),
    measure = quote(absolute_effects(fit, 0.1)),
    unknown_measure = quote(nma(d, measure = "0R")),
    grouped = quote(nma(structure(d, class = c("grouped_df", "tbl_df", "tbl", "data.frame"),
                                  groups = data.frame(study = "x")))),
    method = quote(logLik(fit)),
    hk = quote(nma(tree, ci_method = "hk")),
    netheat = quote(autoplot(nma(star), type = "netheat")),
    not_computed = quote(tidy(contributions(fit), study = TRUE)),
    result_contract = quote(fastnma:::validate_fastnma_table(
      structure(data.frame(a = 1), class = c("nma_split", "fastnma_table", "data.frame")))),
    unknown_argument = quote(nma(d, foo = 1)),
    netmeta_argument = quote(nma(d, reference.group = "A")),
    netmeta_object = quote(nma(structure(data.frame(a = 1), class = c("pairwise", "data.frame")))),
    export = quote(export_table(fit, tempfile(fileext = ".pdf"))),
    missing_argument = quote(estimate_mean_sd(median = 5, q1 = 3, q3 = 7)),
    choice = quote(nma(d, tau2_method = "EB")),
    control = quote(nma_control(tol_tau2 = -1)),
    policy = quote(zero_cell_policy(incr = -1)),
    level = quote(nma(d, level = 95)),
    flag = quote(autoplot(fit, type = "network", multiarm = NA)),
    exponentiate = quote(fastnma:::resolve_exponentiate(TRUE, "MD")),
    margin = quote(confidence(fit, stats::setNames(rep("low", length(fit$studies)), fit$studies),
                              margin = -1)),
    judgement = quote(confidence(fit, c(nope = "low"), margin = 0.1)),
    override = quote(confidence(fit, stats::setNames(rep("low", length(fit$studies)), fit$studies),
                                margin = 0.1, override = data.frame(a = 1))),
    rank = quote(threshold(fit, rank = 0)),
    mcid = quote(threshold(fit, mcid = -0.1)),
    initial_subset = quote(forward_search(fit, initial = c("nope", fit$studies[1]))),
    n_sim = quote(rank_treatments(fit, method = "sucra", n_sim = 0)),
    seed = quote(rank_treatments(fit, method = "sucra", seed = "a")),
    risk = quote(absolute_effects(iv, 1.2)),
    per = quote(absolute_effects(iv, 0.1, per = 0)),
    order = quote(league_table(fit, order = fit$treatments[-1])),
    treatment_selection = quote(autoplot(leave_one_out(fit), treatments = "plac")),
    comparison_selection = quote(autoplot(contributions(fit), rows = "x:y")),
    node_size = quote(autoplot(fit, type = "network", node_size = "patients")),
    min_contribution = quote(autoplot(fit, type = "netheat", min_contribution = 2)),
    second = quote(league_table(fit, upper = "network")),
    league_shape = quote(format(structure(league_table(fit)[1:2, ],
                                          class = class(league_table(fit)),
                                          order = fit$treatments))),
    numeric = quote(estimate_mean_sd(median = "5", q1 = 3, q3 = 7, n = 10)),
    length = quote(estimate_mean_sd(median = 1:3, q1 = c(0, 0), q3 = 7, n = 10)),
    not_finite = quote(estimate_mean_sd(median = 5, q1 = 3, q3 = Inf, n = 10)),
    sample_size = quote(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = 1)),
    summary_spread = quote(estimate_mean_sd(median = 5, q1 = 3, n = 10)),
    summary_order = quote(estimate_mean_sd(median = 8, q1 = 3, q3 = 7, n = 10)),
    file = quote(analyse_msc(tempfile(), outcome = "x")),
    msc_outcome = quote(msc_extraction("nope")),
    msc_data = quote(analyse_msc(template, outcome = "womac_pain")),
    effects = quote(simulate_msc_extraction(1, effects = c(-1, 2))),
    dispersion = quote(simulate_msc_extraction(1, tau = -1)),
    study_values = quote(cumulative_nma(fit, stats::setNames(1:2, fit$studies[1:2]))),
    subgroup = quote(subgroup_nma(fit, stats::setNames(rep("a", fit$k), fit$studies))),
    bind = quote(nma_bind(a = fit, b = mh)),
    batch = quote(nma(rbind(cbind(d, r = 1), cbind(within(d, std.error[1] <- -1), r = 2)),
                      by = r)),
    per_network = quote(per_network(NULL)),
    component = quote(component_nma(fit, inactive = "none")),
    component_identifiable = quote(component_nma(fit)),
    covariate = quote(nma_regression(fit, c(no_such_study = 1))),
    dose = quote(dose_nma(data.frame(study = "s1", agent1 = "A", dose1 = -1, agent2 = "P",
                                     dose2 = 0, estimate = 0.1, std.error = 0.2))),
    dose_identifiable = quote(dose_nma(data.frame(study = c("s1", "s2"), agent1 = c("A", "C"),
                                                  dose1 = 1, agent2 = c("P", "D"), dose2 = c(0, 1),
                                                  estimate = 0.1, std.error = 0.2))),
    truth = quote(autoplot(fit, truth = data.frame(treat1 = "nope", treat2 = "plac", value = 0)))
  )
}

test_that("every class of the table has an input that raises it", {
  classes <- fastnma:::error_classes
  expect_type(classes, "character")
  expect_false(anyDuplicated(names(classes)) > 0)
  expect_true(all(nzchar(classes)))
  triggers <- class_triggers()
  expect_setequal(names(triggers), names(classes))
  fixtures <- trigger_fixtures()
  for (cl in names(triggers)) {
    err <- expect_error(eval(triggers[[cl]], fixtures), class = paste0("fastnma_error_", cl),
                        info = cl)
    expect_s3_class(err, "fastnma_error")
    expect_identical(class(err)[1:2], c(paste0("fastnma_error_", cl), "fastnma_error"))
  }
})

# Calls to `fun` in the package's functions (nested functions included), each
# with the top-level function, the innermost local function it sits in and
# the matched arguments.
find_calls <- function(fun_names) {
  ns <- asNamespace("fastnma")
  found <- list()
  match_args <- function(e, formals_names) {
    args <- as.list(e)[-1]
    nm <- names(args) %||% rep("", length(args))
    out <- args[nzchar(nm)]
    pos <- args[!nzchar(nm)]
    free <- setdiff(formals_names[formals_names != "..."], names(out))
    dots_at <- match("...", formals_names)
    free <- if (is.na(dots_at)) free else intersect(free, formals_names[seq_len(dots_at - 1L)])
    for (i in seq_along(pos)) if (i <= length(free)) out[[free[i]]] <- pos[[i]]
    out
  }
  walk <- function(e, top, local, local_formals) {
    if (is.call(e)) {
      head <- e[[1]]
      if (identical(head, as.name("<-")) && is.name(e[[2]]) && is.call(e[[3]]) &&
          identical(e[[3]][[1]], as.name("function"))) {
        walk(e[[3]][[3]], top, as.character(e[[2]]), names(e[[3]][[2]]))
        walk_all(as.list(e[[3]][[2]]), top, local, local_formals)
        return(invisible())
      }
      name <- if (is.name(head)) as.character(head) else
        if (is.call(head) && identical(head[[1]], as.name("::"))) as.character(head[[3]]) else ""
      if (name %in% names(fun_names)) {
        found[[length(found) + 1L]] <<- list(fun = name, top = top, local = local,
                                             local_formals = local_formals,
                                             args = match_args(e, fun_names[[name]]))
      }
      walk_all(as.list(e)[-1], top, local, local_formals)
    } else if (is.pairlist(e)) {
      walk_all(as.list(e), top, local, local_formals)
    }
  }
  walk_all <- function(parts, top, local, local_formals) {
    for (i in seq_along(parts)) {
      if (!rlang::is_missing(parts[[i]])) walk(parts[[i]], top, local, local_formals)
    }
  }
  for (nm in ls(ns, all.names = TRUE)) {
    f <- get(nm, envir = ns)
    if (is.function(f) && !is.primitive(f)) {
      walk(body(f), nm, nm, names(formals(f)))
      walk_all(as.list(formals(f)), nm, nm, names(formals(f)))
    }
  }
  found
}

test_that("no call in the package raises a class missing from the table", {
  classes <- names(fastnma:::error_classes)
  sites <- find_calls(list(abort_fastnma = names(formals(fastnma:::abort_fastnma)),
                           cli_abort = names(formals(cli::cli_abort)),
                           abort = names(formals(rlang::abort))))
  # classed conditions are raised through abort_fastnma() only
  direct <- Filter(function(s) s$fun != "abort_fastnma" && s$top != "abort_fastnma" &&
                     !is.null(s$args$class), sites)
  expect_identical(vapply(direct, `[[`, "", "top"), character(0))
  sites <- Filter(function(s) s$fun == "abort_fastnma", sites)
  expect_gt(length(sites), 90L)
  literal <- character()
  forwarders <- list()
  for (s in sites) {
    cl <- s$args$class
    where <- paste0(s$top, "()")
    if (is.character(cl)) {
      expect_length(cl, 1L)
      expect_true(cl %in% classes, info = paste(where, "uses", cl))
      literal <- c(literal, cl)
    } else if (is.name(cl) && as.character(cl) %in% s$local_formals) {
      # a helper that passes on its caller's class
      forwarders[[s$local]] <- s$local_formals
    } else {
      # only the core status table chooses a class at run time
      expect_identical(s$top, "abort_core_status", info = where)
      expect_identical(cl, quote(row$class))
    }
  }
  fwd <- find_calls(forwarders)
  # every helper that passes a class on is called, each time with a literal
  expect_setequal(unique(vapply(fwd, `[[`, "", "fun")), names(forwarders))
  for (s in fwd) {
    cl <- s$args$class
    expect_true(is.character(cl) && cl %in% classes, info = paste0(s$top, "()"))
    literal <- c(literal, cl)
  }
  status_classes <- vapply(fastnma:::core_statuses, `[[`, "", "class")
  expect_true(all(status_classes %in% classes))
  # and every class of the table is raised somewhere
  expect_setequal(unique(c(literal, status_classes)), classes)
})

test_that("abort_fastnma() refuses a class that is not in the table", {
  err <- expect_error(fastnma:::abort_fastnma("A message.", "no_such_class"), "error_classes")
  expect_false(inherits(err, "fastnma_error"))
  expect_error(fastnma:::abort_fastnma("A message.", c("column", "se")), "error_classes")
})

test_that("the per-item codes of the core are read by name, never as literals", {
  # every enumeration of src/core/status.h that is not an error, by name
  expect_setequal(names(fastnma:::core_item_codes()),
                  c("twobytwo", "ratemean", "split", "mh_arm", "nch_study",
                    "glmm_fit", "glmm_profile"))
  expect_identical(fastnma:::core_codes("glmm_fit"),
                   c(ok = 0L, not_converged = 1L, not_finite = 2L, singular = 3L))
  expect_identical(fastnma:::core_code("glmm_profile", "no_upper"), 1L)
  expect_identical(fastnma:::core_code("mh_arm", c("used", "study_one_arm")), c(0L, 5L))
  expect_identical(fastnma:::core_code("nch_study", "not_used"), -1L)
  expect_identical(fastnma:::core_code("status", "disconnected"), 7L)
  # the reasons of R/data-twobytwo.R are the twobytwo codes by position
  expect_length(fastnma:::twobytwo_status_reason,
                length(fastnma:::core_codes("twobytwo")) - 1L)
  expect_error(fastnma:::core_code("glmm_fit", "no_such_code"), "no code")
  expect_error(fastnma:::core_codes("no_such_set"), "no codes")
  # R code compares no status with a non-zero literal: it asks core_code()
  ns <- asNamespace("fastnma")
  funs <- Filter(function(f) is.function(get(f, ns)), ls(ns, all.names = TRUE))
  code <- unlist(lapply(funs, function(f) deparse(get(f, ns))))
  literal <- grepl("(status|study_info) *(==|!=|%in%) *-?[1-9]|status = [1-9][0-9]*L", code)
  expect_identical(code[literal], character())
})

test_that("each status code of the core maps to one class and message", {
  st <- fastnma:::core_statuses
  # the table is the Status enumeration of src/core/status.h, name for name
  # (its rows name their code; the number is read from the core)
  expect_identical(names(st), vapply(st, `[[`, "", "name", USE.NAMES = FALSE))
  expect_setequal(names(st), names(fastnma:::core_status_codes()))
  codes <- unname(fastnma:::core_status_codes()[names(st)])
  expect_identical(codes, c(1:11, 20L, 21L, 30L))
  expect_identical(sort(codes), sort(unname(fastnma:::core_status_codes())))
  expect_true(all(vapply(st, function(s) is.function(s$build), logical(1))))
  expect_error(fastnma:::abort_core_status(list(status = 99L), "s", c("A", "B"), NULL, NULL),
               "unknown status")
  # a fit whose stored data were changed, or whose model cannot be fitted
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  bad <- fit
  bad$network$data$std.error[3] <- NA
  for (verb in list(node_split, leave_one_out, inconsistency, contributions)) {
    err <- expect_error(verb(bad), class = "fastnma_error_fit_data")
    expect_identical(err$study, fit$data$study[3])
    expect_match(conditionMessage(err), fit$data$study[3], fixed = TRUE)
  }
  sing <- fit
  sing$tau2 <- -100
  for (verb in list(node_split, leave_one_out, contributions)) {
    expect_error(verb(sing), class = "fastnma_error_singular")
  }
})

test_that("the help page lists every class", {
  rd <- tools::Rd_db("fastnma")[["fastnma_errors.Rd"]]
  expect_false(is.null(rd))
  text <- paste(capture.output(tools::Rd2txt(rd, fragment = FALSE)), collapse = "\n")
  for (cl in names(fastnma:::error_classes)) {
    expect_match(text, paste0("fastnma_error_", cl, "\\b"), info = cl)
  }
})

test_that("unknown arguments are named, also when unnamed", {
  err <- expect_error(fastnma:::check_dots_empty(foo = 1, 2),
                      class = "fastnma_error_unknown_argument")
  expect_match(conditionMessage(err), "foo")
  expect_match(conditionMessage(err), "..2", fixed = TRUE)
  expect_match(conditionMessage(err), "arguments", fixed = TRUE)
})

test_that("missing values are counted by row and by study", {
  d <- contrasts3()
  d$estimate[3:4] <- NA
  err <- expect_error(nma(d), class = "fastnma_error_missing")
  expect_match(conditionMessage(err), "2 rows, study", fixed = TRUE)
})

# netmeta's argument names, given to any exported function or method, stop
# with an error of class fastnma_error_netmeta_argument naming the fastnma
# argument: never base R's "unused argument", never silently ignored.

quiet <- function(x) suppressWarnings(suppressMessages(x))

ns <- asNamespace("fastnma")
netmeta_names <- fastnma:::netmeta_arguments$netmeta

# Exports and the S3 methods registered for user-facing generics. Left out:
# the re-exported generics themselves (their methods are listed), the vctrs
# coercion methods and the operators `[`, `[[`, `$` and rbind(), whose named
# arguments are not settings; the drawing hooks of generics the package does
# not import (grid's makeContent(), ggplot2's ggplot_build() and ggplot_add():
# called by grid and ggplot2 while drawing, never by users); and the case-study layer
# (R/msc*.R).
registered_methods <- function() {
  s3 <- getNamespaceInfo(ns, "S3methods")
  data.frame(generic = s3[, 1], class = s3[, 2], method = s3[, 3], stringsAsFactors = FALSE)
}

test_that("every export and method answers every netmeta argument name with the classed error", {
  ex <- getNamespaceExports("fastnma")
  ex <- setdiff(ex, c("tidy", "glance", "autoplot"))
  ex <- ex[!grepl("msc", ex)]
  meths <- registered_methods()
  meths <- meths[!meths$generic %in% c("vec_ptype2", "vec_cast", "[", "[[", "$", "rbind",
                                        "makeContent", "ggplot_build", "ggplot_add") &
                   !grepl("msc", meths$class), ]
  expect_gt(length(ex), 25)
  expect_gt(nrow(meths), 90)

  # The guard is the first line of every function, so no argument is
  # evaluated before it: exports are called with the netmeta name alone and
  # methods are reached through their generic with an object of the class.
  run <- function(f, args, info) {
    err <- tryCatch({ quiet(do.call(f, args)); NULL }, error = function(e) e)
    expect_s3_class(err, "fastnma_error_netmeta_argument")
    if (!is.null(err)) {
      msg <- conditionMessage(err)
      expect_false(grepl("unused argument", msg, fixed = TRUE), info = info)
      expect_true(err$argument %in% netmeta_names, info = info)
      expect_match(cli::ansi_strip(msg), paste0("`", err$use, "`"), fixed = TRUE, info = info)
    }
    invisible(err)
  }
  # Each function gets every netmeta name it does not take, all in one call
  # (the error names the first and lists the others); each export and one
  # method of each generic also get one name alone, in turn, so that every
  # name is tried alone on at least one function.
  calls <- list()
  for (e in ex) {
    calls[[e]] <- list(f = get(e, envir = ns), obj = list(), own = names(formals(get(e, envir = ns))),
                       alone = TRUE)
  }
  for (i in seq_len(nrow(meths))) {
    g <- meths$generic[i]; cl <- meths$class[i]
    method <- get(meths$method[i], envir = ns)
    calls[[paste0(g, ".", cl)]] <- list(f = get(g, envir = ns),
                                         obj = list(structure(list(), class = c(cl, "list"))),
                                         own = names(formals(method)),
                                         alone = !g %in% meths$generic[seq_len(i - 1L)])
  }
  checked <- character()
  turn <- 0L
  for (k in seq_along(calls)) {
    cs <- calls[[k]]
    names_here <- setdiff(netmeta_names, cs$own)
    all_args <- stats::setNames(rep(list(TRUE), length(names_here)), names_here)
    err <- run(cs$f, c(cs$obj, all_args), names(calls)[k])
    if (!inherits(err, "fastnma_error_netmeta_argument")) next
    msg <- cli::ansi_strip(conditionMessage(err))
    for (a in names_here) expect_match(msg, paste0("`", a, "`"), fixed = TRUE,
                                       info = paste(names(calls)[k], a))
    if (!cs$alone) next
    turn <- turn + 1L
    pending <- setdiff(names_here, checked)
    one <- if (length(pending)) pending[1L] else names_here[(turn - 1L) %% length(names_here) + 1L]
    err1 <- run(cs$f, c(cs$obj, stats::setNames(list(TRUE), one)), paste(names(calls)[k], one))
    if (inherits(err1, "fastnma_error_netmeta_argument")) {
      expect_identical(err1$argument, one, info = names(calls)[k])
      checked <- c(checked, one)
    }
  }
  expect_length(calls, length(ex) + nrow(meths))
  expect_setequal(unique(checked), netmeta_names)
})

test_that("netmeta habits on a real fit: the error names the argument of that function", {
  d <- quiet(arm_contrasts(dong2013, study, treatment, events = events, n = n, measure = "OR"))
  fit <- quiet(nma(d))
  cases <- list(
    list(quote(tidy(fit, common = TRUE, random = FALSE)), "common", "model", "model = \"common\""),
    list(quote(tidy(fit, random = TRUE)), "random", "model", "model = \"random\""),
    # the switch's value decides the model: common = FALSE means random
    list(quote(tidy(fit, common = FALSE)), "common", "model", "model = \"random\""),
    list(quote(coef(fit, random = FALSE)), "random", "model", "model = \"common\""),
    list(quote(coef(fit, common = TRUE)), "common", "model", "model = \"common\""),
    list(quote(confint(fit, level.ma = 0.9)), "level.ma", "level", "level = 0.9"),
    list(quote(tidy(fit, level.ma = 0.9)), "level.ma", "conf.level", "conf.level = 0.9"),
    list(quote(glance(fit, random = FALSE)), "random", "model", NA),
    list(quote(tidy(fit, reference.group = "ICS")), "reference.group", "reference", "nma(..., reference"),
    list(quote(node_split(fit, common = TRUE)), "common", "model", "model = \"common\""),
    list(quote(inconsistency(fit, random = FALSE)), "random", "model", NA),
    list(quote(direct_estimates(fit, level.ma = 0.9)), "level.ma", "level", "level = 0.9"),
    list(quote(contributions(fit, common = TRUE)), "common", "model", "model = \"common\""),
    list(quote(leave_one_out(fit, method.tau = "DL")), "method.tau", "tau2_method", NA),
    list(quote(funnel_test(fit, random = TRUE)), "random", "model", "model = \"random\""),
    list(quote(threshold(fit, random = TRUE)), "random", "model", "model = \"random\""),
    list(quote(outliers(fit, method.tau = "DL")), "method.tau", "tau2_method", NA),
    list(quote(forward_search(fit, small.values = "good")), "small.values", "small_values", NA),
    list(quote(league_table(fit, reference.group = "ICS")), "reference.group", "reference", NA),
    list(quote(print(fit, common = FALSE)), "common", "model", NA),
    list(quote(summary(fit, sm = "OR")), "sm", "measure", NA)
  )
  for (cs in cases) {
    info <- deparse(cs[[1]])
    err <- expect_error(eval(cs[[1]]), class = "fastnma_error_netmeta_argument", info = info)
    expect_identical(err$argument, cs[[2]], info = info)
    expect_identical(err$use, cs[[3]], info = info)
    msg <- cli::ansi_strip(conditionMessage(err))
    if (!is.na(cs[[4]])) expect_match(msg, cs[[4]], fixed = TRUE, info = info)
  }
  # a netmeta name passed on through another function's `...` is caught too
  wrapper <- function(x, ...) tidy(x, ...)
  err <- expect_error(wrapper(fit, comb.fixed = TRUE), class = "fastnma_error_netmeta_argument")
  expect_identical(err$argument, "comb.fixed")
  # functions that had no `...` now answer other unknown names with a classed error
  expect_error(node_split(fit, foo = 1), class = "fastnma_error_unknown_argument")
  expect_error(league_table(fit, foo = 1), class = "fastnma_error_unknown_argument")
  # and the fastnma names still work
  expect_identical(unique(tidy(fit, model = "common")$model), "common")
  expect_equal(confint(fit, level = 0.9), confint(fit, level = 0.9))
  expect_s3_class(node_split(fit, model = "common"), "data.frame")
})

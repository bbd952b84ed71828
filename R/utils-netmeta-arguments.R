# netmeta's argument names and the fastnma arguments that take their place,
# in one table. A call to nma(), arm_contrasts(), nma_binary() or
# rank_treatments() that uses one of netmeta's names (and not a name of the
# function itself) stops with an error of class
# `fastnma_error_netmeta_argument` that names the argument to use instead.
#
# The check reads the call as written (sys.call()), before R's partial
# matching of argument names could bind, say, `sm =` to `smd` or
# `small_values`, or `event =` to `events`.
#
# One row per argument: netmeta's name, the fastnma argument, a hint.
netmeta_arguments <- as.data.frame(matrix(c(
  "sm", "measure", "measure = \"OR\" (\"RR\", \"RD\", \"MD\", \"SMD\", \"IRR\", \"ROM\")",
  "studlab", "study", "study = col",
  "treat", "treatment", "treatment = col (one row per arm)",
  "event", "events", "events = col",
  "TE", "estimate", "estimate = col",
  "seTE", "std.error", "std.error = col",
  "reference.group", "reference", "reference = \"name\"",
  "baseline.reference", "reference", "reference = \"name\"",
  "method.tau", "tau2_method", "tau2_method = \"REML\" (\"DL\", \"ML\", \"PM\")",
  "small.values", "small_values", "small_values = \"desirable\" or \"undesirable\"",
  "common", "model",
    "a fit holds both models: model = \"common\" where results are taken for common = TRUE, model = \"random\" for common = FALSE (e.g. rank_treatments(fit, model = \"common\"))",
  "random", "model",
    "a fit holds both models: model = \"random\" where results are taken for random = TRUE, model = \"common\" for random = FALSE (e.g. rank_treatments(fit, model = \"random\"))",
  "fixed", "model",
    "a fit holds both models: model = \"common\" where results are taken for fixed = TRUE, model = \"random\" for fixed = FALSE",
  "comb.fixed", "model",
    "a fit holds both models: model = \"common\" where results are taken for comb.fixed = TRUE, model = \"random\" for comb.fixed = FALSE",
  "comb.random", "model",
    "a fit holds both models: model = \"random\" where results are taken for comb.random = TRUE, model = \"common\" for comb.random = FALSE",
  "level.ma", "level", "level = 0.95",
  "level.comb", "level", "level = 0.95",
  "nsim", "n_sim", "n_sim = 10000",
  "incr", "zero_cells", "zero_cells = zero_cell_policy(incr = 0.5)",
  "method.incr", "zero_cells",
    "zero_cells = zero_cell_policy(method = \"constant\", \"all\", \"tacc\" or \"none\")",
  "allincr", "zero_cells", "zero_cells = zero_cell_policy(method = \"all\")",
  "addincr", "zero_cells", "zero_cells = zero_cell_policy(method = \"all\")",
  "allstudies", "zero_cells", "zero_cells = zero_cell_policy(double_zero = \"keep\")",
  "hakn", "ci_method", "ci_method = \"hk\"",
  "method.random.ci", "ci_method", "ci_method = \"hk\"",
  "method.smd", "smd",
    "smd = \"netmeta\" (the SMD of netmeta's pairwise(), its default method.smd = \"Hedges\"); smd = \"hedges\" for metacont()'s per-pair correction",
  "tau.preset", "tau2",
    "tau2 = tau.preset^2 (fastnma takes the variance, netmeta the standard deviation)",
  "subset", "data", "subset data before the call",
  "seq", "order",
    "order = c(\"A\", \"B\", ...) (or a factor treatment column: its levels set the order)"
), ncol = 3L, byrow = TRUE, dimnames = list(NULL, c("netmeta", "fastnma", "hint"))),
stringsAsFactors = FALSE)

# Where a function has no argument under the table's fastnma name, the
# argument that takes the same meaning there (tidy() and friends take
# `conf.level`, not `level`).
netmeta_alternatives <- list(level = c("level", "conf.level"),
                             treatment = c("treatment", "treat1"))

# Formal arguments that exist only to catch a netmeta name before R's
# partial matching does (`treat` for `treat1`/`treat2` of nma()).
netmeta_traps <- "treat"

# Stop when `call` (a call as written, from sys.call()) names one of
# netmeta's arguments that `fun` does not take under that exact name. `dots`
# are the names that reached the function's `...` (a call that forwards
# `...` shows only `...` in `call`).
check_netmeta_arguments <- function(call, fun, env = rlang::caller_env(), dots = NULL,
                                    generic = NULL) {
  given <- c(names(call)[-1L], dots)
  if (is.null(given)) return(invisible(TRUE))
  given[is.na(given)] <- ""
  hit <- given[nzchar(given) & given %in% .subset2(netmeta_arguments, "netmeta")]
  if (length(hit) == 0L) return(invisible(TRUE))
  own <- setdiff(names(formals(fun)), netmeta_traps)
  hit <- hit[!(hit %in% own)]
  if (length(hit) == 0L) return(invisible(TRUE))
  row <- netmeta_arguments[match(hit[1L], netmeta_arguments$netmeta), ]
  netmeta_name <- row$netmeta
  use <- row$fastnma
  hint <- row$hint
  alt <- netmeta_alternatives[[use]] %||% use
  here <- intersect(alt, own)
  fn <- generic %||% tryCatch(as.character(call[[1L]])[1L], error = function(e) "")
  fitting <- fn %in% c("nma", "arm_contrasts", "nma_binary", "rank_treatments")
  first <- if (length(here)) {
    use <- here[1L]
    "{.arg {netmeta_name}} is an argument of netmeta, not of fastnma: use {.arg {use}}."
  } else {
    "{.arg {netmeta_name}} is an argument of netmeta, not of fastnma, and {.fn {fn}} has no {.arg {use}}."
  }
  where <- if (length(here) && !fitting && use %in% c("model", "level", "conf.level")) {
    paste0("Here: {.code ", use, " = ", switch(use,
      model = netmeta_model_hint(netmeta_name, as.list(call)[[netmeta_name]]),
      "0.9"), "}.")
  } else if (identical(use, "treat1")) {
    "In fastnma: {.code treat1 = col, treat2 = col}, the two treatments of each contrast."
  } else if (!length(here) && use == "reference") {
    "The reference is chosen when fitting ({.code nma(..., reference = \"name\")}); {.code comparisons = \"all\"} gives every pair where a function takes it."
  } else {
    if (length(here)) "In fastnma: {.code {hint}}." else "Where fastnma takes it: {.code {hint}}."
  }
  others <- setdiff(unique(hit), netmeta_name)
  others_txt <- paste0("`", others, "`", collapse = ", ")
  abort_fastnma(c(
    first,
    "i" = where,
    "i" = if (length(others)) "Also netmeta's: {others_txt}; see {.topic fastnma::netmeta_arguments}." else
      "The translation of netmeta's arguments: {.topic fastnma::netmeta_arguments}."
  ), "netmeta_argument", call = env, argument = netmeta_name, use = use)
}

# The model a netmeta switch asks for: common = TRUE or random = FALSE mean
# the common-effect model, random = TRUE or common = FALSE the random one.
netmeta_model_hint <- function(name, value) {
  random_switch <- name %in% c("random", "comb.random")
  if (isFALSE(value)) random_switch <- !random_switch
  if (random_switch) "\"random\"" else "\"common\""
}

# The first line of every exported function and method: netmeta's argument
# names stop with the classed error above, whether given in the call or
# passed on through `...`. With `dots_empty = TRUE` (functions whose `...`
# exists only to catch such names) any other argument in `...` is an
# "unknown argument" error too, as R's own "unused argument" would be, but
# classed.
netmeta_guard <- function(dots_empty = FALSE) {
  frame <- parent.frame()
  call <- sys.call(-1L)
  fun <- sys.function(-1L)
  dots <- if ("..." %in% names(formals(fun))) eval(quote(...names()), frame) else NULL
  generic <- get0(".Generic", envir = frame, inherits = FALSE)
  check_netmeta_arguments(call, fun, env = frame, dots = dots, generic = generic)
  if (dots_empty) eval(quote(check_dots_empty(..., call = call)),
                       list(check_dots_empty = check_dots_empty, call = frame), frame)
  invisible(TRUE)
}

#' netmeta's argument names in fastnma
#'
#' fastnma reproduces netmeta's numbers under its own argument names. Every
#' exported function and every method of a fastnma class ([tidy()],
#' [glance()], `coef()`, `confint()`, `print()`, `summary()`, [autoplot()],
#' [node_split()], [league_table()], [inconsistency()], ...) answers one of
#' netmeta's names (for example `sm = "OR"`, `studlab =`, `event =`,
#' `reference.group =`, `method.tau =`, `small.values =`, `common = TRUE`,
#' `random = FALSE`, `level.ma = 0.9`) with an error of class
#' `fastnma_error_netmeta_argument` that names the argument to use instead
#' in that function (fields `argument` and `use`): `model = "common"` for
#' `common = TRUE`, `level =` (or `conf.level =` in [tidy()]) for
#' `level.ma =`, and where the function has no such setting (the reference of
#' [tidy()], say, is chosen when fitting), where fastnma takes it. No netmeta
#' name is silently ignored or taken: a fit holds both models, and
#' `common = TRUE` alone would not say which one a result should show. The
#' names are read as written, and also when passed on through `...`, so a
#' netmeta name is never taken, by R's partial matching, for a fastnma
#' argument it happens to begin (`sm` for `smd` or `small_values`, `event`
#' for `events`, `treat` for `treat1`).
#'
#' @section Translation:
#' `r netmeta_arguments_rd()`
#'
#' @name netmeta_arguments
#' @seealso [fastnma_errors]
#' @examples
#' try(arm_contrasts(dong2013, study, treatment, events = events, n = n,
#'                   sm = "OR"))
NULL

netmeta_arguments_rd <- function() {
  esc <- function(x) gsub("([%{}\\\\])", "\\\\\\1", x)
  paste0("\\tabular{lll}{\n  netmeta \\tab fastnma \\tab in fastnma \\cr\n",
         paste0("  `", netmeta_arguments$netmeta, "` \\tab `", netmeta_arguments$fastnma,
                "` \\tab ", esc(netmeta_arguments$hint), " \\cr", collapse = "\n"),
         "\n}")
}

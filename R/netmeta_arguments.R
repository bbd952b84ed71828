# netmeta's argument names and the fastnma arguments that take their place,
# in one table. A call to nma(), arm_contrasts(), nma_binary() or
# rank_treatments() that uses one of netmeta's names (and not a name of the
# function itself) stops with an error of class
# `fastnma_error_netmeta_argument` that names the argument to use instead.
#
# The check reads the call as written (sys.call()), before R's partial
# matching of argument names could bind, say, `sm =` to `smd` or
# `small_values`, or `event =` to `events`.
netmeta_arguments <- data.frame(
  netmeta = c(
    "sm", "studlab", "treat", "event", "TE", "seTE", "reference.group",
    "baseline.reference", "method.tau", "small.values", "common", "random",
    "fixed", "comb.fixed", "comb.random", "level.ma", "level.comb", "nsim",
    "incr", "method.incr", "allincr", "addincr", "allstudies", "hakn",
    "method.random.ci", "method.smd", "tau.preset", "subset", "seq"
  ),
  fastnma = c(
    "measure", "study", "treatment", "events", "estimate", "std.error", "reference",
    "reference", "tau2_method", "small_values", "model", "model",
    "model", "model", "model", "level", "level", "n_sim",
    "zero_cells", "zero_cells", "zero_cells", "zero_cells", "zero_cells", "ci_method",
    "ci_method", "smd", "tau2", "data", "order"
  ),
  hint = c(
    "measure = \"OR\" (\"RR\", \"RD\", \"MD\", \"SMD\", \"IRR\", \"ROM\")",
    "study = col",
    "treatment = col (one row per arm)",
    "events = col",
    "estimate = col",
    "std.error = col",
    "reference = \"name\"",
    "reference = \"name\"",
    "tau2_method = \"REML\" (\"DL\", \"ML\", \"PM\")",
    "small_values = \"desirable\" or \"undesirable\"",
    "a fit holds both models: choose one with model = \"common\" where results are taken (e.g. rank_treatments(fit, model = \"common\"))",
    "a fit holds both models: choose one with model = \"random\" where results are taken (e.g. rank_treatments(fit, model = \"random\"))",
    "a fit holds both models: choose one with model = \"common\" where results are taken",
    "a fit holds both models: choose one with model = \"common\" where results are taken",
    "a fit holds both models: choose one with model = \"random\" where results are taken",
    "level = 0.95",
    "level = 0.95",
    "n_sim = 10000",
    "zero_cells = zero_cell_policy(incr = 0.5)",
    "zero_cells = zero_cell_policy(method = \"constant\", \"all\", \"tacc\" or \"none\")",
    "zero_cells = zero_cell_policy(method = \"all\")",
    "zero_cells = zero_cell_policy(method = \"all\")",
    "zero_cells = zero_cell_policy(double_zero = \"keep\")",
    "ci_method = \"hk\"",
    "ci_method = \"hk\"",
    "smd = \"netmeta\" or \"hedges\"",
    "tau2 = tau.preset^2 (fastnma takes the variance, netmeta the standard deviation)",
    "subset data before the call",
    "order = c(\"A\", \"B\", ...) (or a factor treatment column: its levels set the order)"
  ),
  stringsAsFactors = FALSE
)

# Stop when `call` (a call as written, from sys.call()) names one of
# netmeta's arguments that `fun` does not take under that exact name.
check_netmeta_arguments <- function(call, fun, env = rlang::caller_env()) {
  given <- names(as.list(call))[-1L]
  if (is.null(given)) return(invisible(TRUE))
  own <- names(formals(fun))
  hit <- given[nzchar(given) & given %in% netmeta_arguments$netmeta & !(given %in% own)]
  if (length(hit) == 0L) return(invisible(TRUE))
  row <- netmeta_arguments[match(hit[1L], netmeta_arguments$netmeta), ]
  netmeta_name <- row$netmeta
  use <- row$fastnma
  hint <- row$hint
  others <- setdiff(unique(hit), netmeta_name)
  abort_fastnma(c(
    "{.arg {netmeta_name}} is an argument of netmeta, not of this function: use {.arg {use}}.",
    "i" = "In fastnma: {.code {hint}}.",
    "i" = if (length(others)) "Also netmeta's: {.arg {others}}; see {.topic fastnma::netmeta_arguments}." else
      "The translation of netmeta's arguments: {.topic fastnma::netmeta_arguments}."
  ), "netmeta_argument", call = env, argument = netmeta_name, use = use)
}

#' netmeta's argument names in fastnma
#'
#' fastnma reproduces netmeta's numbers under its own argument names. A call
#' to [nma()], [arm_contrasts()], [nma_binary()] or [rank_treatments()] with
#' one of netmeta's names (for example `sm = "OR"`, `studlab =`, `event =`,
#' `reference.group =`, `method.tau =`, `small.values =`, `common =`) stops
#' with an error of class `fastnma_error_netmeta_argument` that names the
#' argument to use instead (fields `argument` and `use`). The names are read
#' as written, so a netmeta name is never taken, by R's partial matching, for
#' a fastnma argument it happens to begin (`sm` for `smd` or
#' `small_values`, `event` for `events`).
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

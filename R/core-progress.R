# Progress bars and messages ---------------------------------------------------
#
# Long compiled work (SUCRA sampling, leave-one-out, node-splitting and
# contributions on large networks) reports its progress to a cli progress
# bar. The core calls back at most every 0.2 s (src/progress.cpp,
# interrupt()); cli shows the bar only once the work has taken two seconds
# (option `cli.progress_show_after`). No bar is shown in non-interactive
# sessions (scripts, R CMD check, knitr) or with
# `options(fastnma.progress = FALSE)` or `options(fastnma.quiet = TRUE)`.

show_progress <- function() {
  isTRUE(getOption("fastnma.progress", TRUE)) && !isTRUE(getOption("fastnma.quiet", FALSE)) &&
    rlang::is_interactive() && !isTRUE(getOption("knitr.in.progress"))
}

# Evaluates `expr` (a call of a compiled core that calls interrupt() every
# `stride` units of work) with a progress bar of `total` units.
with_progress <- function(expr, total, stride, what) {
  if (!(total > 0) || !show_progress()) return(expr)
  id <- cli::cli_progress_bar(what, total = total, clear = TRUE)
  env <- environment()
  # the core calls back at most every `fastnma.progress_interval` seconds,
  # so each call updates the bar (force: no second throttle in cli)
  progress_cpp(function(done) cli::cli_progress_update(set = done, id = id, force = TRUE,
                                                       .envir = env),
               list(total = as.double(total), stride = as.double(stride),
                    interval = as.double(getOption("fastnma.progress_interval", 0.2))))
  on.exit(progress_cpp(NULL, list(total = 0, stride = 1, interval = 0.2)), add = TRUE)
  expr
}

# An informational message of fastnma: a cli message of class
# `fastnma_message_<class>` and `fastnma_message`, silenced by
# `options(fastnma.quiet = TRUE)` (or suppressMessages(), or
# suppressMessages(classes = "fastnma_message")).
inform_fastnma <- function(message, class, ..., .envir = parent.frame()) {
  if (isTRUE(getOption("fastnma.quiet", FALSE))) return(invisible(NULL))
  cli::cli_inform(message, class = c(paste0("fastnma_message_", class), "fastnma_message"),
                  ..., .envir = .envir)
}

# Timed rounds for the benchmarks that compare several ways of doing the same
# work in one process: the arms run interleaved, round after round, so that a
# change in the load of the machine hits all of them alike. Sourced by
# bench-batch.R and bench-simulation.R.

# One arm (a function of no arguments) once: CPU seconds of this process
# (user + system), elapsed seconds, and its value.
time_arm <- function(f) {
  gc()
  t0 <- proc.time()
  value <- f()
  t <- proc.time() - t0
  list(cpu = t[["user.self"]] + t[["sys.self"]], elapsed = t[["elapsed"]], value = value)
}

# `repeats` rounds of every arm of the named list `arms`.
run_rounds <- function(arms, repeats) {
  lapply(seq_len(repeats), function(i) lapply(arms, time_arm))
}

# The medians of arm `name` over the rounds, its value in the first round,
# and the median over rounds of the ratio of arm `against` to it (`what`:
# "cpu" or "elapsed").
summarise_arm <- function(rounds, name, against = "loop") {
  runs <- lapply(rounds, `[[`, name)
  ratio <- function(what) {
    stats::median(vapply(rounds, function(r) r[[against]][[what]] / r[[name]][[what]],
                         numeric(1)))
  }
  list(cpu = stats::median(vapply(runs, `[[`, numeric(1), "cpu")),
       elapsed = stats::median(vapply(runs, `[[`, numeric(1), "elapsed")),
       ratio = ratio("cpu"), ratio_elapsed = ratio("elapsed"),
       value = runs[[1]]$value)
}

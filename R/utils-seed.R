# Random numbers with a seed that leave the user's random state alone.

# Evaluate `expr` with a seed, leaving the global random state as it was
# (and absent if it was absent).
with_seed <- function(seed, expr) {
  env <- globalenv()
  had <- exists(".Random.seed", envir = env, inherits = FALSE)
  old <- if (had) get(".Random.seed", envir = env, inherits = FALSE)
  on.exit(if (had) assign(".Random.seed", old, envir = env) else
    rm(".Random.seed", envir = env), add = TRUE)
  set.seed(seed)
  eval.parent(substitute(expr))
}

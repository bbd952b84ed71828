# Snapshots independent of the order the test files run in. ggplot2 caches
# the descent of each font size the first time it measures it, on whatever
# device is open then (an svglite device of another size, the pdf device a
# ggplotGrob() opens); a later snapshot drawn on vdiffr's device would reuse
# it and move by a hundredth of a point. Each snapshot is therefore drawn
# with that cache empty: vdiffr's expect_doppelganger() is traced (base R's
# trace(), on entry) to empty it first.
local({
  if (requireNamespace("vdiffr", quietly = TRUE) && !isTRUE(getOption("fastnma.test_vdiffr"))) {
    options(fastnma.test_vdiffr = TRUE)
    suppressMessages(trace(
      "expect_doppelganger", where = asNamespace("vdiffr"), print = FALSE,
      tracer = quote({
        cache <- get0("descent_cache", envir = asNamespace("ggplot2"), inherits = FALSE)
        if (is.environment(cache)) rm(list = ls(cache, all.names = TRUE), envir = cache)
      })))
  }
})

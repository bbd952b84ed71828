#' Draw the natural figure of a fastnma result
#'
#' `plot()` draws the figure that [autoplot()][ggplot2::autoplot()] makes of
#' the object and returns that ggplot invisibly, so that `plot(fit)` works as
#' in base R and the figure can still be modified and saved (`p <-
#' plot(fit); ggplot2::ggsave("forest.png", p)`). Every argument in `...`
#' goes to the `autoplot()` method of the class, which documents the
#' options: [autoplot.nma()] (forest plot by default; `type = "network"`,
#' `"funnel"`, `"netheat"`), [autoplot.nma_network()] (the network before
#' any fit), [autoplot.nma_inconsistency()], [autoplot.nma_split()], [autoplot.nma_league()],
#' [autoplot.nma_influence()], [autoplot.nma_contrib()],
#' [autoplot.nma_ranks()], [autoplot.nma_confidence()],
#' [autoplot.nma_benefit_harm()], [autoplot.nma_bind()][autoplot-bind],
#' [autoplot.nma_cumulative()], [autoplot.nma_component()] and
#' [autoplot.nma_regression()].
#'
#' `forest()`: when meta, netmeta or metafor is loaded, their `forest()`
#' generic draws the same figure for a fit (the forest plot against the
#' reference, [autoplot.nma()]) and for [node_split()] (direct, indirect and
#' network estimates, [autoplot.nma_split()]), so `forest(fit)` works as with
#' netmeta. The methods are registered when the generic's package is loaded
#' (before or after fastnma); netmeta's argument names in `...` are an error
#' of class `fastnma_error_netmeta_argument` (see [netmeta_arguments]).
#'
#' Collections of fits (`nma(by =)` and several outcomes of
#' [nma_binary()]) have no single figure: plotting one is an error that
#' says how to pick a fit.
#'
#' @param x A result of fastnma: a fit of [nma()], [nma_binary()],
#'   [component_nma()] or [nma_regression()], a network of [nma_network()],
#'   or the result of [inconsistency()],
#'   [node_split()], [league_table()], [leave_one_out()], [contributions()],
#'   [rank_treatments()], [confidence()], [benefit_harm()], [nma_bind()],
#'   [subgroup_nma()] or [cumulative_nma()].
#' @param y Unused (a base R argument of [plot()]); must be missing.
#' @param ... Options of the figure, passed to the `autoplot()` method.
#' @return The ggplot object, invisibly. The figure is drawn on the current
#'   graphics device.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' plot(fit)
#' plot(fit, type = "network")
#' plot(node_split(fit))
#' p <- plot(league_table(fit))
#' class(p)
#' @name plot-fastnma
NULL

# forest() of meta/netmeta and of metafor, registered in .onLoad.
forest.nma <- function(x, ...) {
  netmeta_guard()
  draw_autoplot(x, rlang::missing_arg(), type = "forest", ...)
}

forest.nma_split <- function(x, ...) {
  netmeta_guard()
  draw_autoplot(x, rlang::missing_arg(), ...)
}

draw_autoplot <- function(x, y, ..., call = rlang::caller_env()) {
  if (!rlang::is_missing(y)) {
    abort_fastnma(c(
      "{.fn plot} of a fastnma result takes no {.arg y}.",
      "i" = "Figure options are named arguments, passed to {.fn autoplot}."
    ), "dots", call = call)
  }
  p <- ggplot2::autoplot(x, ...)
  print(p)
  invisible(p)
}

#' @rdname plot-fastnma
#' @export
plot.nma <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_network <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_inconsistency <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_split <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_league <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_influence <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_contrib <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_ranks <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_confidence <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_benefit_harm <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_collection <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_component <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}

#' @rdname plot-fastnma
#' @export
plot.nma_regression <- function(x, y, ...) {
  netmeta_guard()
  draw_autoplot(x, y, ...)
}


#' Plot the dose-response curves of a dose-response network meta-analysis
#'
#' The effect of every agent relative to the reference as a function of its
#' dose: the fitted curve with its confidence band (and, optionally, the
#' prediction band of the random-effects model), one panel per agent with
#' its own dose axis, and the studies that compare the agent directly with
#' the reference as points (observed contrast at the arm's dose, area by
#' precision). The common dose at which agents are compared is marked.
#' Ratio measures are drawn on the ratio scale by default (log10 axis
#' labelled with the measure, null line at 1).
#'
#' @param object A fit made by [dose_nma()].
#' @param model `"random"` (default) or `"common"`.
#' @param agents Agents to show (default: all but the reference, at most
#'   `max_panels` of them).
#' @param exponentiate `NULL` (default: ratio scale for ratio measures),
#'   `TRUE` or `FALSE`.
#' @param points Show the studies' direct contrasts with the reference.
#' @param prediction Add the prediction band (random-effects model).
#' @param n_grid Number of doses at which each curve is drawn.
#' @param max_panels With `agents = NULL`: the largest number of agents
#'   drawn (default 12). A network with more shows the agents with the most
#'   studies against the reference, and the caption says how many of how many.
#' @param ... Must be empty.
#' @return A ggplot object.
#' @examples
#' d <- simulate_dose_nma(seed = 1, n_studies = 40)
#' autoplot(dose_nma(d, method = "emax"))
#' @method autoplot nma_dose
#' @export
autoplot.nma_dose <- function(object, model = c("random", "common"), agents = NULL,
                              exponentiate = NULL, points = TRUE, prediction = FALSE,
                              n_grid = 60L, max_panels = 12, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  others <- object$agents
  a <- curve_arguments(if (missing(model)) NULL else model, exponentiate, object$measure,
                       points, prediction)
  model <- a$model
  exponentiate <- a$exponentiate
  pts_all <- dose_points(object, others)
  counts <- function() as.vector(table(factor(pts_all$agent, levels = others)))
  sel <- select_panels(agents, others, counts, max_panels, object$reference,
                       arg = "agents", what = c("agents", "agents"))
  agents <- sel$shown
  shown_note <- sel$note
  n_grid <- max(2L, as.integer(n_grid))
  grid <- do.call(rbind, lapply(agents, function(a) {
    data.frame(agent = a, dose = seq(0, max(object$doses[[a]]), length.out = n_grid),
               stringsAsFactors = FALSE)
  }))
  pr <- dose_contrast_rows(object, model, grid$agent, grid$dose,
                           rep(object$reference, nrow(grid)), rep(0, nrow(grid)),
                           object$level, prediction = TRUE)
  pr$agent <- factor(grid$agent, levels = agents)
  pr$dose <- grid$dose
  if (exponentiate) pr <- exponentiate_columns(pr)
  null <- null_value(object$measure, exponentiate)
  p <- effect_curve(pr, "dose", null, prediction && model == "random")
  cd <- data.frame(agent = factor(agents, levels = agents),
                   dose = unname(object$common_dose[agents]))
  p <- p + ggplot2::geom_vline(data = cd, ggplot2::aes(xintercept = .data$dose),
                               linetype = 3, colour = "grey40")
  if (points) {
    pts <- pts_all[pts_all$agent %in% agents, , drop = FALSE]
    if (nrow(pts)) {
      if (exponentiate) pts$estimate <- exp(pts$estimate)
      pts$agent <- factor(pts$agent, levels = agents)
      p <- p + study_points(pts, "dose") +
        ggplot2::scale_size_area(max_size = 3, guide = "none")
    }
  }
  model_label <- if (model == "random") "Random-effects model" else "Common-effect model"
  p <- p + ggplot2::facet_wrap(ggplot2::vars(.data$agent), scales = "free_x",
                               ncol = min(3L, length(agents))) +
    ggplot2::scale_x_continuous(breaks = function(l) pretty(l, n = 3),
                                labels = function(b) format(b, trim = TRUE,
                                                            drop0trailing = TRUE)) +
    ggplot2::labs(x = "Dose", y = paste(measure_label(object$measure, exponentiate), "vs",
                                        object$reference),
                  caption = wrap_caption(c(
                    paste0(if (points) paste0("Points: studies against ", object$reference,
                                              " (area by precision). ") else "",
                           "Dotted line: the common dose at which agents are compared."),
                    shown_note), base_size = 9),
                  title = paste0("Dose-response (", object$label, ")"),
                  subtitle = paste0(model_label, "; band: ", round(100 * object$level),
                                    "% CI")) +
    theme_fastnma()
  p <- if (exponentiate) {
    p + ggplot2::scale_y_log10(labels = ratio_labels)
  } else {
    p + ggplot2::scale_y_continuous(breaks = function(l) pretty(l, n = 2))
  }
  p
}

# The studies' own contrasts of each agent (at a positive dose) against the
# reference agent.
dose_points <- function(object, agents) {
  d <- object$data
  ref <- object$reference
  r <- against_reference(d, d$agent2 == ref & d$agent1 %in% agents & d$dose1 > 0,
                         d$agent1 == ref & d$agent2 %in% agents & d$dose2 > 0)
  data.frame(agent = r$other(d$agent1, d$agent2), study = r$rows$study,
             dose = r$other(d$dose1, d$dose2), r$rows[c("estimate", "weight")],
             stringsAsFactors = FALSE)
}

# Every figure measured as drawn (helper-measure.R): rendered to SVG at the
# sizes a figure lands on (one journal column 3.5 x 4 in, a page 7 x 5 in, a
# slide 10 x 8 in), on networks of 3 to 100 treatments, with no text outside
# the canvas (or cut by its clipping region) and no text over another text.
# The 22-treatment network has long labels ("Alvoxetine 10 mg").

skip_if_not_installed("svglite")
skip_if_not_installed("xml2")

fit_of <- function(n, ...) {
  if (n == 22) {
    return(nma(arm_contrasts(synthetic_network22(), measure = "MD"),
               reference = "Placebo", ...))
  }
  k <- switch(as.character(n), "3" = 8L, "10" = 20L, "100" = 140L)
  arm <- random_arm_network(n, k, p_multi = 0.15, max_arms = 3, tau = 0.25,
                            seed = 1000L + n)
  suppressMessages(nma(arm_contrasts(arm, measure = "OR"), ...))
}

# The figures of a network, by type; only those named in `types` are built.
figures_of <- function(n, types) {
  fit <- fit_of(n)
  st <- fit$studies
  make <- list(
    forest = function() autoplot(fit),
    forest_rank = function() autoplot(fit, ranking = "pscore", sort = "rank"),
    network = function() autoplot(fit, type = "network"),
    circle = function() autoplot(fit, type = "network", layout = "circle"),
    league = function() autoplot(league_table(fit)),
    netheat = function() autoplot(fit, type = "netheat"),
    funnel = function() autoplot(fit, type = "funnel"),
    split = function() autoplot(node_split(fit)),
    pscore = function() autoplot(rank_treatments(fit)),
    sucra = function() autoplot(rank_treatments(fit, method = "sucra", n_sim = 500, seed = 1)),
    loo = function() autoplot(leave_one_out(fit)),
    contrib = function() autoplot(contributions(fit)),
    subgroup = function() {
      grp <- stats::setNames(rep(c("low risk", "high risk"), length.out = length(st)), st)
      autoplot(subgroup_nma(fit, grp))
    },
    bind = function() autoplot(nma_bind(random = fit, "tau2 = 0" = fit_of(n, tau2 = 0))),
    network_data = function() autoplot(fit$network),
    inconsistency = function() autoplot(inconsistency(fit, heat = FALSE)),
    threshold = function() autoplot(threshold(fit)),
    outliers = function() autoplot(outliers(fit)),
    forward = function() autoplot(forward_search(fit, n_candidates = 5, seed = 1)),
    forward_estimates = function() autoplot(forward_search(fit, n_candidates = 5, seed = 1),
                                            type = "estimates")
  )
  lapply(make[types], function(f) f())
}

sizes <- list(column = c(3.5, 4), page = c(7, 5), slide = c(10, 8))

check_grid <- function(n, spec) {
  figs <- figures_of(n, unique(unlist(spec)))
  for (s in names(spec)) {
    for (type in spec[[s]]) {
      expect_legible(figs[[type]], sizes[[s]][1], sizes[[s]][2],
                     label = sprintf("%s at %d treatments", type, n))
    }
  }
}

test_that("the harness finds text outside the canvas and overlapping text", {
  p <- ggplot2::ggplot(data.frame(x = c(1, 1.001), y = 1, l = c("overlapping", "labels")),
                       ggplot2::aes(.data$x, .data$y, label = .data$l)) +
    ggplot2::geom_text() +
    ggplot2::labs(caption = strrep("a caption far too long for the page ", 6))
  m <- measure_figure(p, 3.5, 4)
  expect_gte(nrow(m$outside), 1)
  expect_equal(nrow(m$overlapping), 1)
  q <- ggplot2::ggplot(data.frame(x = 1:3, y = 1:3), ggplot2::aes(.data$x, .data$y)) +
    ggplot2::geom_point()
  m <- measure_figure(q, 3.5, 4)
  expect_gt(m$n_texts, 4)
  expect_equal(nrow(m$outside), 0)
  expect_equal(nrow(m$overlapping), 0)
})

test_that("a fastnma figure wraps its caption to the device it is drawn on", {
  fit <- fit_of(3)
  p <- autoplot(fit, type = "funnel") +
    ggplot2::labs(caption = strrep("A caption longer than one journal column. ", 5))
  expect_legible(p, 3.5, 4, label = "funnel with a long caption")
  expect_legible(p, 7, 5, label = "funnel with a long caption")
})

test_that("the text columns placed when drawn are all drawn", {
  # a column at the panel's edge must not be dropped as out of bounds
  fit <- fit_of(10)
  for (s in sizes[c("page", "slide")]) {
    file <- tempfile(fileext = ".svg")
    svglite::svglite(file, width = s[1], height = s[2])
    dev <- grDevices::dev.cur()
    expect_no_warning(print(autoplot(node_split(fit))))
    grDevices::dev.off(dev)
    labels <- svg_texts(file)$texts$label
    expect_true(all(c("k", "Direct", "p") %in% labels))
    expect_gte(sum(grepl("^[0-9.<]+$", labels)), 20)
    p <- autoplot(fit, ranking = "pscore")
    svglite::svglite(file, width = s[1], height = s[2])
    dev <- grDevices::dev.cur()
    expect_no_warning(print(p))
    grDevices::dev.off(dev)
    labels <- svg_texts(file)$texts$label
    expect_true(all(c("k", "P-score") %in% labels))
    unlink(file)
  }
})

test_that("network labels too long for the page are abbreviated with a key", {
  fit <- fit_of(22)
  file <- tempfile(fileext = ".svg")
  svglite::svglite(file, width = 7, height = 5)
  dev <- grDevices::dev.cur()
  print(autoplot(fit, type = "network"))
  grDevices::dev.off(dev)
  labels <- svg_texts(file)$texts$label
  unlink(file)
  expect_false("Alvoxetine 10 mg" %in% labels)
  expect_true("Placebo" %in% labels)
  at <- which(grepl("^Abbreviations:", labels))
  key <- paste(labels[at:length(labels)], collapse = " ")
  # the texts of the graph (the caption's lines come last)
  drawn <- labels[seq_len(at - 1L)]
  for (trt in setdiff(fit$treatments, "Placebo")) {
    short <- drawn[vapply(drawn, function(l) grepl(paste0(l, " = ", trt), key, fixed = TRUE),
                          logical(1))]
    expect_length(short, 1)
  }
  # labels that fit are left as they are
  expect_null(network_abbreviations(c("A", "B"), 10, 7))
  ab <- network_abbreviations(fit$treatments, 10, 3.5)
  expect_false(anyDuplicated(ab) > 0)
  expect_true(all(nchar(ab) < nchar(names(ab)) | nchar(names(ab)) <= 8))
})

# The texts of a figure drawn to SVG at width x height inches.
drawn_texts <- function(p, width, height) {
  file <- tempfile(fileext = ".svg")
  on.exit(unlink(file))
  svglite::svglite(file, width = width, height = height)
  dev <- grDevices::dev.cur()
  tryCatch(print(p), finally = grDevices::dev.off(dev))
  svg_texts(file)$texts$label
}

test_that("in one column, long network labels become numbers with a key, legends a sentence", {
  fit <- fit_of(22)
  for (layout in c("stress", "circle")) {
    labels <- drawn_texts(autoplot(fit, type = "network", layout = layout), 3.5, 4)
    # every node numbered, once, and no full label on the graph
    expect_setequal(intersect(labels, as.character(seq_len(fit$n))),
                    as.character(seq_len(fit$n)))
    expect_false(any(fit$treatments %in% labels))
    caption <- paste(labels, collapse = " ")
    expect_match(caption, "Treatments: 1 ", fixed = TRUE)
    for (i in seq_len(fit$n)) {
      expect_match(caption, paste0(i, " ", fit$treatments[i], "[;.]"))
    }
    # no legend: the encodings are said in the caption
    expect_false("Patients" %in% labels)
    expect_match(caption, "Node area proportional to patients", fixed = TRUE)
    expect_match(caption, "edge width by studies per comparison", fixed = TRUE)
  }
  # labels that fit a column are left as they are
  labels <- drawn_texts(autoplot(senn_fit(), type = "network"), 3.5, 4)
  expect_true(all(senn_fit()$treatments %in% labels))
})

test_that("network labels that find no room are not drawn, and the caption says which", {
  fit <- fit_of(100)
  for (layout in c("stress", "circle")) {
    for (s in list(c(3.5, 4), c(7, 5))) {
      labels <- drawn_texts(autoplot(fit, type = "network", layout = layout), s[1], s[2])
      drawn <- intersect(fit$treatments, labels)
      caption <- paste(labels, collapse = " ")
      n_missing <- fit$n - length(drawn)
      if (n_missing == 0) {
        expect_no_match(caption, "not drawn")
        next
      }
      note <- regmatches(caption, regexpr("[0-9]+ of 100 treatment labels not drawn", caption))
      expect_length(note, 1)
      expect_equal(as.integer(sub(" .*", "", note)), n_missing)
      # the first missing labels are named, in the note
      named <- regmatches(caption, regexpr("not drawn for lack of room \\([^)]*\\)", caption))
      named <- strsplit(sub(".*\\((.*)\\)", "\\1", named), ", | and ")[[1]]
      named <- named[grepl("^T[0-9]+$", named)]
      expect_gte(length(named), min(12, n_missing) - 1)
      expect_length(intersect(named, drawn), 0)
      expect_match(caption, "draw the figure larger", fixed = TRUE)
    }
  }
  # most labels are drawn on a page
  labels <- drawn_texts(autoplot(fit, type = "network"), 7, 5)
  expect_gte(length(intersect(fit$treatments, labels)), 80)
})

test_that("ratio axes are labelled as plain numbers", {
  expect_identical(ratio_labels(c(0.01, 0.1, 1, 10, 100)), c("0.01", "0.1", "1", "10", "100"))
  expect_identical(ratio_labels(c(0.5, 1, 2)), c("0.5", "1", "2"))
})

robust_types <- c("threshold", "outliers", "forward", "forward_estimates")
all_types <- c("forest", "forest_rank", "network", "circle", "league", "netheat", "funnel",
               "split", "pscore", "sucra", "loo", "contrib", "subgroup", "bind",
               "network_data", "inconsistency", robust_types)

test_that("figures of NCH fits (forest, league, methods side by side) fit a column, a page and a slide", {
  for (n in c(3, 10)) {
    k <- switch(as.character(n), "3" = 8L, "10" = 20L)
    arm <- random_arm_network(n, k, p_multi = 0.15, max_arms = 3, tau = 0.25, seed = 1000L + n)
    nch <- suppressMessages(nma_binary(arm, method = "NCH"))
    mh <- suppressMessages(nma_binary(arm, measure = "OR", method = "MH"))
    iv <- suppressMessages(nma_binary(arm, measure = "OR", method = "IV"))
    figs <- list(forest = autoplot(nch), league = autoplot(league_table(nch)),
                 bind = autoplot(nma_bind(MH = mh, IV = iv, NCH = nch)))
    for (s in names(sizes)) {
      for (type in names(figs)) {
        expect_legible(figs[[type]], sizes[[s]][1], sizes[[s]][2],
                       label = sprintf("NCH %s at %d treatments, %s", type, n, s))
      }
    }
  }
})

test_that("figures of 3 treatments fit a column, a page and a slide", {
  check_grid(3, list(
    column = all_types,
    page = all_types,
    slide = all_types
  ))
})

test_that("figures of 10 treatments fit a column, a page and a slide", {
  check_grid(10, list(
    column = all_types,
    page = all_types,
    slide = all_types
  ))
})

test_that("figures of 22 treatments with long labels fit a column, a page and a slide", {
  check_grid(22, list(
    column = all_types,
    page = all_types,
    slide = all_types
  ))
})

test_that("figures of 100 treatments fit a column, a page and a slide", {
  check_grid(100, list(
    column = c("forest", "forest_rank", "network", "circle", "funnel", "split", "pscore",
               "sucra", "loo", "contrib", "bind", "network_data", "inconsistency", robust_types),
    page = all_types,
    slide = all_types
  ))
})

# Dose-response curves: one panel per agent (at most 12 by default), on
# networks of 3, 10 and 22 treatments (placebo and 21 agents with long
# names).
dose_fit_of <- function(n) {
  agents <- if (n == 22) setdiff(sort(unique(synthetic_network22()$treatment)), "Placebo") else
    sprintf("Agent %02d", seq_len(n))
  n <- length(agents)
  emax <- stats::setNames(-seq(0.5, 2, length.out = n), agents)
  ed50 <- stats::setNames(seq(1, 40, length.out = n), agents)
  d <- simulate_dose_nma(seed = n, n_studies = 8 * n, emax = emax, ed50 = ed50, tau = 0.2)
  dose_nma(d, method = "linear")
}

test_that("dose-response curves fit a column, a page and a slide", {
  for (n in c(3, 10, 22)) {
    fit <- dose_fit_of(n)
    p <- autoplot(fit)
    expect_identical(length(unique(ggplot2::ggplot_build(p)$layout$layout$PANEL)),
                     as.integer(min(length(fit$agents), 12)))
    for (s in names(sizes)) {
      expect_legible(p, sizes[[s]][1], sizes[[s]][2],
                     label = sprintf("dose-response at %d agents (%s)", n, s))
    }
  }
})

test_that("figures of a binomial-normal (GLMM) fit fit a column, a page and a slide", {
  arm <- random_arm_network(10, 20, p_multi = 0.15, max_arms = 3, tau = 0.25, seed = 1010L)
  arm$events <- pmin(pmax(arm$events, 1L), arm$n - 1L)
  fit <- suppressWarnings(suppressMessages(nma_binary(arm, method = "GLMM", n_agq = 1)))
  iv <- suppressMessages(nma_binary(arm, measure = "OR", method = "IV"))
  figs <- list(
    forest = autoplot(fit),
    forest_common = autoplot(fit, model = "common"),
    league = autoplot(league_table(fit)),
    pscore = autoplot(rank_treatments(fit)),
    bind = autoplot(nma_bind(GLMM = fit, IV = iv))
  )
  for (s in names(sizes)) {
    for (type in names(figs)) {
      expect_legible(figs[[type]], sizes[[s]][1], sizes[[s]][2],
                     label = sprintf("GLMM %s at %s size", type, s))
    }
  }
})

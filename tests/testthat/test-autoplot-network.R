test_that("network graph draws one edge per compared pair, with its studies", {
  fit <- senn_fit()
  p <- expect_no_drawing(autoplot(fit, type = "network"))
  g <- fastnma:::network_graph(fit)
  pairs <- unique(t(apply(senn2013[c("treat1", "treat2")], 1, sort)))
  expect_equal(nrow(g$edges), nrow(pairs))
  # studies per edge, counted directly from the data
  key <- apply(senn2013[c("treat1", "treat2")], 1, function(x) paste(sort(x), collapse = ":"))
  n_studies <- tapply(senn2013$study, key, function(s) length(unique(s)))
  expect_equal(as.vector(n_studies[paste(g$edges$treat1, g$edges$treat2, sep = ":")]),
               g$edges$studies)
  seg <- ggplot2::layer_data(p, 2)       # polygon is layer 1
  expect_equal(nrow(seg), nrow(pairs))
  expect_equal(sort(seg$linewidth)[1], 0.5)
  # node sizes: studies per treatment
  expect_equal(p$data$studies[p$data$treatment == "plac"],
               length(unique(senn2013$study[senn2013$treat1 == "plac" | senn2013$treat2 == "plac"])))
  # the three-arm study is drawn as a polygon over its three treatments
  poly <- ggplot2::layer_data(p, 1)
  expect_equal(nrow(poly), 3)
  expect_setequal(p$data$treatment[match(poly$x, p$data$x)], c("acar", "metf", "plac"))
})

test_that("edge labels and treatment labels are the counts and names", {
  fit <- senn_fit()
  p <- autoplot(fit, type = "network")
  lab <- ggplot2::layer_data(p, length(p$layers))
  g <- fastnma:::network_graph(fit)
  expect_setequal(lab$label[seq_len(fit$n)], fit$treatments)
  expect_equal(as.integer(lab$label[-seq_len(fit$n)]), g$edges$studies)
  p2 <- autoplot(fit, type = "network", edge_labels = FALSE)
  expect_equal(nrow(ggplot2::layer_data(p2, length(p2$layers))), fit$n)
})

test_that("nodes are sized by patients when arm data are known", {
  fit <- smoking_fit()
  expect_false(is.null(fit$arms))
  p <- autoplot(fit, type = "network")
  pts <- tapply(smokingcessation$n, smokingcessation$treatment, sum)
  expect_equal(p$data$value, as.vector(pts[p$data$treatment]))
  expect_identical(p$scales$get_scales("size")$name, "Patients")
  fit_c <- senn_fit()
  expect_null(fit_c$arms)
  expect_error(autoplot(fit_c, type = "network", node_size = "patients"),
               class = "fastnma_error_node_size")
})

test_that("precision edge weights are sums of inverse variances", {
  fit <- senn_fit()
  p <- autoplot(fit, type = "network", edge_weight = "precision")
  g <- fastnma:::network_graph(fit)
  sel <- (senn2013$treat1 == "metf" & senn2013$treat2 == "plac") |
    (senn2013$treat1 == "plac" & senn2013$treat2 == "metf")
  expect_equal(g$edges$precision[g$edges$treat1 == "metf" & g$edges$treat2 == "plac"],
               sum(1 / senn2013$seTE[sel]^2))
})

test_that("stress layout follows path lengths better than a circle", {
  fit <- fit22()
  g <- fastnma:::network_graph(fit)
  D <- fastnma:::graph_distances(g$adjacency)
  stress <- function(X) {
    E <- as.matrix(dist(X))
    s <- D * 0
    s[D > 0] <- ((E[D > 0] / mean(E[D > 0]) * mean(D[D > 0]) - D[D > 0]) / D[D > 0])^2
    sum(s)
  }
  Xs <- fastnma:::layout_stress(g$adjacency)
  Xc <- fastnma:::layout_circle(fit$n)
  expect_lt(stress(Xs), stress(Xc))
  # deterministic
  expect_identical(fastnma:::layout_stress(g$adjacency), Xs)
  # a path graph is laid out on a line with equal steps
  A <- matrix(0, 5, 5)
  A[cbind(1:4, 2:5)] <- 1
  A <- A + t(A)
  X <- fastnma:::layout_stress(A)
  steps <- sqrt(rowSums(diff(X)^2))
  expect_equal(steps, rep(steps[1], 4), tolerance = 1e-4)
})

test_that("placed network labels keep clear of each other, of the nodes and of the panel's edges", {
  grDevices::pdf(NULL, width = 7, height = 5)
  on.exit(grDevices::dev.off())
  set.seed(3)
  n <- 60
  nodes <- data.frame(x = stats::runif(n, -1, 1), y = stats::runif(n, -1, 1),
                      point_size = stats::runif(n, 1.5, 6),
                      treatment = sprintf("Treatment %02d", seq_len(n)))
  lab <- data.frame(x = nodes$x, y = nodes$y, label = nodes$treatment, node = seq_len(n),
                    kind = "treatment", pt = 7, colour = "grey5",
                    x0 = NA_real_, y0 = NA_real_, x1 = NA_real_, y1 = NA_real_)
  lim <- c(-1.2, 1.2)
  per_in <- diff(lim) / 4                      # a panel 4 in square
  res <- fastnma:::place_network_labels(lab, nodes, lim, lim, per_in)
  out <- res$labels
  # every label is drawn or reported as not drawn, and most are drawn
  expect_setequal(c(out$label, res$dropped$label), lab$label)
  expect_gt(nrow(out), n / 2)
  # the text of each label (without its padding), in data units
  hw <- fastnma:::text_inches(out$label, 7) * per_in / 2
  hh <- 1.2 * 7 / 72 * per_in / 2
  expect_true(all(out$x - hw >= lim[1] & out$x + hw <= lim[2] &
                    out$y - hh >= lim[1] & out$y + hh <= lim[2]))
  for (i in seq_len(nrow(out))) {
    j <- setdiff(seq_len(nrow(out)), i)
    apart <- abs(out$x[i] - out$x[j]) >= hw[i] + hw[j] | abs(out$y[i] - out$y[j]) >= 2 * hh
    expect(all(apart), sprintf("label %s overlaps another", out$label[i]))
    # clear of every node (a circle 0.75 size mm across)
    dx <- pmax(abs(out$x[i] - nodes$x) - hw[i], 0)
    dy <- pmax(abs(out$y[i] - nodes$y) - hh, 0)
    r <- nodes$point_size * 0.375 / 25.4 * per_in
    expect(all(sqrt(dx^2 + dy^2) >= r), sprintf("label %s lies over a node", out$label[i]))
  }
  # the same positions every time
  expect_identical(fastnma:::place_network_labels(lab, nodes, lim, lim, per_in), res)
})

test_that("graph distances are shortest paths", {
  A <- matrix(0, 4, 4)
  A[cbind(c(1, 2, 3), c(2, 3, 4))] <- 1
  A <- A + t(A)
  expect_equal(fastnma:::graph_distances(A)[1, ], c(0, 1, 2, 3))
})

test_that("snapshots: network graphs", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  fit <- senn_fit()
  vdiffr::expect_doppelganger("network-senn-stress", autoplot(fit, type = "network"))
  vdiffr::expect_doppelganger("network-senn-circle",
                              autoplot(fit, type = "network", layout = "circle"))
  vdiffr::expect_doppelganger("network-smoking-patients",
                              autoplot(smoking_fit(), type = "network",
                                       edge_weight = "precision"))
  f22 <- fit22()
  vdiffr::expect_doppelganger("network-22-stress", autoplot(f22, type = "network"))
  vdiffr::expect_doppelganger("network-22-circle",
                              autoplot(f22, type = "network", layout = "circle"))
})

test_that("a network draws itself before any fit: the graph of the fit, by studies", {
  net <- nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  p <- expect_no_drawing(autoplot(net))
  fit <- nma(net, reference = "plac")
  q <- autoplot(fit, type = "network", node_size = "studies")
  # the same nodes, edges, multi-arm polygon and labels as the fit's graph
  for (i in seq_along(q$layers)) {
    expect_equal(ggplot2::layer_data(p, i), ggplot2::layer_data(q, i))
  }
  expect_identical(p$labels$subtitle, q$labels$subtitle)
  expect_match(p$labels$subtitle, "10 treatments, 26 studies, 15 designs")
  # a network holds no arm sizes
  expect_error(autoplot(net, node_size = "patients"), class = "fastnma_error_node_size")
  expect_error(autoplot(net, colour = "red"), class = "fastnma_error")
  # the options of the graph apply
  r <- autoplot(net, layout = "circle", edge_labels = FALSE, multiarm = FALSE)
  expect_equal(nrow(ggplot2::layer_data(r, length(r$layers))), 0L)
  expect_equal(sort(sqrt(rowSums(as.matrix(r$data[c("x", "y")])^2))), rep(1, 10))
})

test_that("snapshots: the graph of a network", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  net <- nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  vdiffr::expect_doppelganger("network-data-senn", autoplot(net))
})

test_that("ranking bars draw tidy()'s scores", {
  fit <- senn_fit()
  r <- rank_treatments(fit)
  p <- expect_no_drawing(autoplot(r))
  td <- tidy(r)
  expect_equal(p$data$score[match(td$treatment, p$data$treatment)], td$pscore)
  ld <- ggplot2::layer_data(p, 1)
  expect_equal(sort(ld$xmax), sort(td$pscore))
  # best on top, labels are the printed values
  expect_identical(levels(p$data$treatment)[nlevels(p$data$treatment)],
                   td$treatment[which.max(td$pscore)])
  expect_true(all(formatC(td$pscore, digits = 3, format = "f") %in% p$data$label))
})

test_that("rankogram and cumulative curves draw the rank probabilities", {
  fit <- senn_fit()
  r <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 1)
  probs <- tidy(r, probabilities = TRUE)
  p <- expect_no_drawing(autoplot(r, type = "rankogram"))
  key <- paste(p$data$treatment, p$data$rank)
  expect_equal(p$data$probability, probs$probability[match(key, paste(probs$treatment, probs$rank))])
  p2 <- autoplot(r, type = "cumulative")
  last <- p2$data[p2$data$rank == fit$n, ]
  expect_equal(last$cumulative, rep(1, fit$n), tolerance = 1e-8)
  # SUCRA = mean of the cumulative curve over ranks 1..n-1
  sucra <- tapply(p2$data$cumulative[p2$data$rank < fit$n],
                  p2$data$treatment[p2$data$rank < fit$n], mean)
  expect_equal(as.vector(sucra[r$treatment]), r$sucra, tolerance = 1e-8)
  expect_error(autoplot(rank_treatments(fit), type = "rankogram"),
               class = "fastnma_error_method")
})

test_that("beyond 12 treatments the rank probabilities are a heat map, beyond 45 in blocks", {
  r22 <- rank_treatments(fit22(), method = "sucra", n_sim = 500, seed = 1)
  probs <- tidy(r22, probabilities = TRUE)
  p <- autoplot(r22, type = "rankogram")
  expect_true(inherits(p$layers[[1]]$geom, "GeomTile"))
  key <- paste(p$data$treatment, p$data$rank)
  expect_equal(p$data$value, probs$probability[match(key, paste(probs$treatment, probs$rank))])
  # rows ordered by SUCRA, best on top
  top <- levels(p$data$row)[nlevels(p$data$row)]
  expect_match(top, r22$treatment[which.max(r22$sucra)], fixed = TRUE)
  pc <- autoplot(r22, type = "cumulative")
  expect_equal(pc$data$value[pc$data$rank == 22], rep(1, 22), tolerance = 1e-8)
  arm <- random_arm_network(60, 80, seed = 7)
  r60 <- rank_treatments(nma(arm_contrasts(arm, measure = "MD")))
  pb <- autoplot(r60)
  expect_s3_class(pb$facet, "FacetWrap")
  expect_equal(sort(unique(pb$data$block)), c(1, 2))
  expect_fits_device(pb, label = "P-score bars of 60 treatments")
})

test_that("snapshots: rankings", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  fit <- senn_fit()
  r <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 1)
  vdiffr::expect_doppelganger("ranks-pscore-senn", autoplot(rank_treatments(fit)))
  vdiffr::expect_doppelganger("ranks-sucra-senn", autoplot(r))
  vdiffr::expect_doppelganger("rankogram-senn", autoplot(r, type = "rankogram"))
  vdiffr::expect_doppelganger("cumulative-senn", autoplot(r, type = "cumulative"))
  r22 <- rank_treatments(fit22(), method = "sucra", n_sim = 2000, seed = 1)
  vdiffr::expect_doppelganger("ranks-sucra-22", autoplot(r22))
  vdiffr::expect_doppelganger("cumulative-22", autoplot(r22, type = "cumulative"))
})

# Random networks for tests and benchmarks.
#
# Sourced automatically by testthat and by bench/networks.R, so it must only
# use base R and stats.
#
# Model. Each study s has a baseline mu_s and, for each of its arms t, a true
# mean mu_s + d_t + u_st with u_st ~ N(0, tau^2 / 2) independent across arms,
# so that every contrast of a study has heterogeneity variance tau^2 and two
# contrasts sharing an arm have correlation 1/2 (the canonical
# contrast-based model). Arms are observed with sampling variance v_st, and
# contrasts are formed from the observed arm means: the contrasts of a
# multi-arm study are exactly consistent (y_ab = y_ac - y_bc) and their
# variances v_sa + v_sb come from arm variances.
#
# Connectivity. The first n_treat - 1 studies form a random spanning tree of
# the treatments (study i compares treatment i + 1 with a treatment drawn
# among the first i), so every network is connected whatever the seed.

# Run `code` with the RNG seeded, leaving the caller's RNG state untouched.
with_network_seed <- function(seed, code) {
  if (is.null(seed)) return(code)
  had_seed <- exists(".Random.seed", envir = globalenv(), inherits = FALSE)
  if (had_seed) old <- get(".Random.seed", envir = globalenv(), inherits = FALSE)
  on.exit({
    if (had_seed) {
      assign(".Random.seed", old, envir = globalenv())
    } else if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
      rm(".Random.seed", envir = globalenv())
    }
  })
  set.seed(seed)
  code
}

# Treatment labels whose sorted order is their index order.
network_labels <- function(n_treat) {
  sprintf(paste0("T%0", nchar(n_treat), "d"), seq_len(n_treat))
}

# Arms of every study (a list of integer vectors of treatment indices).
network_arms <- function(n_treat, n_studies, p_multi, max_arms) {
  stopifnot(n_treat >= 2, max_arms >= 2, p_multi >= 0, p_multi <= 1)
  max_arms <- min(max_arms, n_treat)
  if (n_studies < n_treat - 1) {
    stop("A connected network of ", n_treat, " treatments needs at least ",
         n_treat - 1, " studies.", call. = FALSE)
  }
  n_arms <- rep(2L, n_studies)
  if (max_arms > 2) {
    multi <- stats::runif(n_studies) < p_multi
    # (not sample(3:max_arms): for max_arms = 3 that would sample 1:3)
    n_arms[multi] <- 2L + sample.int(max_arms - 2L, sum(multi), replace = TRUE)
  }
  arms <- vector("list", n_studies)
  for (i in seq_len(n_studies)) {
    base <- if (i <= n_treat - 1) {
      # spanning tree: treatment i + 1 joins a treatment already connected
      c(i + 1L, sample.int(i, 1L))
    } else {
      sample.int(n_treat, 2L)
    }
    extra <- n_arms[i] - 2L
    if (extra > 0) {
      others <- setdiff(seq_len(n_treat), base)
      base <- c(base, others[sample.int(length(others), extra)])
    }
    arms[[i]] <- base
  }
  arms
}

# Simulate arm-level data of a connected network (internal test helper).
#
# @return A data frame with one row per arm: `study, treatment, n, mean, sd`
#   (a continuous outcome) and `events` (a binary outcome out of `n`).
#   Attribute `effects`: the true treatment effects (first treatment 0).
random_arm_network <- function(n_treat, n_studies, p_multi = 0.1,
                               max_arms = 3, tau = 0.2, seed = NULL) {
  with_network_seed(seed, {
    labels <- network_labels(n_treat)
    arms <- network_arms(n_treat, n_studies, p_multi, max_arms)
    d <- c(0, stats::rnorm(n_treat - 1, sd = 0.5))
    p <- lengths(arms)
    study <- rep(seq_len(n_studies), p)
    trt <- unlist(arms, use.names = FALSE)
    mu <- stats::rnorm(n_studies, sd = 0.5)[study]
    u <- stats::rnorm(length(trt), sd = tau / sqrt(2))
    n <- sample(20:200, length(trt), replace = TRUE)
    sd <- stats::runif(length(trt), 0.8, 2)
    truth <- mu + d[trt] + u
    mean <- truth + stats::rnorm(length(trt), sd = sd / sqrt(n))
    prob <- stats::plogis(truth - 1)
    events <- stats::rbinom(length(trt), n, prob)
    out <- data.frame(
      study = sprintf(paste0("S%0", nchar(n_studies), "d"), study),
      treatment = labels[trt], n = n, mean = mean, sd = sd, events = events,
      stringsAsFactors = FALSE
    )
    attr(out, "effects") <- stats::setNames(d, labels)
    out
  })
}

# Simulate contrast-level data of a connected network (internal test helper).
#
# Multi-arm studies are given as all their pairs. Each pair is oriented at
# random (treat1 before or after treat2 in label order) so that code
# depending on the orientation is exercised.
#
# @return A data frame `study, treat1, treat2, estimate, std.error`, the
#   effect of `treat1` relative to `treat2`. Attribute `effects`: the true
#   treatment effects.
random_network <- function(n_treat, n_studies, p_multi = 0.1, max_arms = 3,
                           tau = 0.2, seed = NULL) {
  arm <- random_arm_network(n_treat, n_studies, p_multi = p_multi,
                            max_arms = max_arms, tau = tau, seed = seed)
  arms_to_contrasts(arm, seed = if (is.null(seed)) NULL else seed + 1L)
}

# All pairs of arms of every study, from arm means and their variances.
arms_to_contrasts <- function(arm, seed = NULL) {
  with_network_seed(seed, {
    v <- arm$sd^2 / arm$n
    idx <- split(seq_len(nrow(arm)), factor(arm$study, unique(arm$study)))
    pairs <- lapply(idx, function(i) {
      cmb <- utils::combn(length(i), 2)
      cbind(i[cmb[1, ]], i[cmb[2, ]])
    })
    pairs <- do.call(rbind, pairs)
    flip <- stats::runif(nrow(pairs)) < 0.5
    a <- ifelse(flip, pairs[, 2], pairs[, 1])
    b <- ifelse(flip, pairs[, 1], pairs[, 2])
    out <- data.frame(
      study = arm$study[a], treat1 = arm$treatment[a],
      treat2 = arm$treatment[b], estimate = arm$mean[a] - arm$mean[b],
      std.error = sqrt(v[a] + v[b]), stringsAsFactors = FALSE
    )
    attr(out, "effects") <- attr(arm, "effects")
    out
  })
}

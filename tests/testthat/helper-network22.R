# A deterministic synthetic network of 22 treatments (placebo and seven
# drugs at three doses each), arm-level continuous outcomes. The same
# construction is shown in vignettes/graphics.Rmd.
synthetic_network22 <- function() {
  drugs <- c("Alvoxetine", "Brimelant", "Corvadil", "Dexuprane", "Elmofexin",
             "Fendrolane", "Gavistat")
  doses <- c("5 mg", "10 mg", "20 mg")
  trt <- c("Placebo", paste(rep(drugs, each = 3), rep(doses, 7)))
  effect <- c(0, as.vector(outer(c(-0.2, -0.35, -0.45),
                                 c(1, 0.8, 1.3, 0.6, 1.1, 0.9, 0.4), "*")))
  names(effect) <- trt
  designs <- c(
    # placebo-controlled, three-arm dose-finding (placebo and two doses)
    lapply(seq_along(drugs), function(i) c("Placebo", trt[1 + 3 * (i - 1) + 1:2])),
    lapply(seq_along(drugs), function(i) c("Placebo", trt[1 + 3 * (i - 1) + 3])),
    lapply(seq_along(drugs), function(i) c("Placebo", trt[1 + 3 * (i - 1) + 2])),
    # head-to-head trials at the highest dose
    lapply(list(c(1, 2), c(2, 3), c(3, 4), c(1, 5), c(5, 6), c(6, 7), c(4, 7),
                c(2, 6)),
           function(ij) trt[1 + 3 * (ij - 1) + 3])
  )
  reps <- rep(c(1, 2, 1, 1, 2, 1, 1), length.out = length(designs))
  set.seed(20240522)
  rows <- list()
  s <- 0
  for (k in seq_along(designs)) {
    for (r in seq_len(reps[k])) {
      s <- s + 1
      arms <- designs[[k]]
      n <- sample(40:160, length(arms), replace = TRUE)
      shift <- rnorm(1, 0, 0.1)
      mu <- 1.5 + effect[arms] + rnorm(length(arms), 0, 0.08) + shift
      sd <- runif(length(arms), 0.8, 1.2)
      mean <- mu + rnorm(length(arms)) * sd / sqrt(n)
      rows[[s]] <- data.frame(study = sprintf("Trial %02d", s), treatment = arms,
                              n = n, mean = round(mean, 3), sd = round(sd, 3))
    }
  }
  do.call(rbind, rows)
}

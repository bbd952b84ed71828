# An independent, dense implementation of the canonical contrast-based NMA
# model in plain R, for checking the compiled core on small networks.
#
# Per study the basic contrasts of every arm against the first arm in sorted
# order, within-study covariance from arm variances back-solved from the pair
# variances, and heterogeneity tau^2 * (I + J) / 2 (a common tau^2 with
# correlation 1/2 between the contrasts of a study). This is the model that
# metafor::rma.mv(struct = "CS", rho = 0.5) fits in
# ../shared/reference/netmeta/make-metafor-reference.R.

canonical_model <- function(data, estimate = "estimate",
                             std.error = "std.error", treat1 = "treat1",
                             treat2 = "treat2", study = "study") {
  d <- data.frame(study = as.character(data[[study]]),
                  treat1 = as.character(data[[treat1]]),
                  treat2 = as.character(data[[treat2]]),
                  y = data[[estimate]], se = data[[std.error]],
                  stringsAsFactors = FALSE)
  trts <- sort(unique(c(d$treat1, d$treat2)))
  ys <- list(); Vs <- list(); Xs <- list(); lab <- list(); st <- list()
  for (sid in unique(d$study)) {
    ds <- d[d$study == sid, ]
    arms <- sort(unique(c(ds$treat1, ds$treat2)))
    p <- length(arms)
    A <- matrix(0, nrow(ds), p)
    A[cbind(seq_len(nrow(ds)), match(ds$treat1, arms))] <- 1
    A[cbind(seq_len(nrow(ds)), match(ds$treat2, arms))] <- 1
    base <- arms[1]
    oth <- arms[-1]
    y <- vapply(oth, function(a) {
      i <- which(ds$treat1 == a & ds$treat2 == base)
      if (length(i)) ds$y[i] else -ds$y[ds$treat1 == base & ds$treat2 == a]
    }, numeric(1))
    if (p == 2) {
      V <- matrix(ds$se^2, 1, 1)
    } else {
      sa <- as.numeric(qr.solve(A, ds$se^2))
      V <- matrix(sa[1], p - 1, p - 1)
      diag(V) <- sa[-1] + sa[1]
    }
    x <- matrix(0, p - 1, length(trts))
    for (j in seq_along(oth)) {
      x[j, match(oth[j], trts)] <- 1
      x[j, match(base, trts)] <- -1
    }
    ys[[sid]] <- unname(y); Vs[[sid]] <- V; Xs[[sid]] <- x
    lab[[sid]] <- paste(oth, base, sep = ":"); st[[sid]] <- rep(sid, p - 1)
  }
  k <- length(ys)
  N <- length(unlist(ys))
  V <- matrix(0, N, N)
  Rm <- matrix(0, N, N)
  pos <- 0
  for (s in seq_len(k)) {
    q <- length(ys[[s]])
    i <- pos + seq_len(q)
    V[i, i] <- Vs[[s]]
    Rm[i, i] <- 0.5
    pos <- pos + q
  }
  diag(Rm) <- 1
  X <- do.call(rbind, Xs)
  colnames(X) <- trts
  list(y = unlist(ys, use.names = FALSE), V = V, R = Rm,
       X = X[, -1, drop = FALSE], treatments = trts,
       study = unlist(st, use.names = FALSE),
       comparison = unlist(lab, use.names = FALSE))
}

# GLS fit of the canonical model at a given tau^2.
canonical_fit <- function(cm, tau2) {
  W <- solve(cm$V + tau2 * cm$R)
  XtWX <- crossprod(cm$X, W %*% cm$X)
  cov <- solve(XtWX)
  beta <- drop(cov %*% crossprod(cm$X, W %*% cm$y))
  r <- cm$y - drop(cm$X %*% beta)
  list(beta = beta, cov = cov, W = W, XtWX = XtWX, Q = drop(r %*% W %*% r))
}

# Log-likelihood (ML) or restricted log-likelihood (REML, metafor's constant
# including log|X'X|) at tau^2.
canonical_loglik <- function(cm, tau2, reml = TRUE) {
  f <- canonical_fit(cm, tau2)
  N <- length(cm$y)
  p <- ncol(cm$X)
  ld <- function(m) as.numeric(determinant(m, logarithm = TRUE)$modulus)
  ldV <- ld(cm$V + tau2 * cm$R)
  if (reml) {
    -0.5 * ((N - p) * log(2 * pi) + ldV + ld(f$XtWX) - ld(crossprod(cm$X)) + f$Q)
  } else {
    -0.5 * (N * log(2 * pi) + ldV + f$Q)
  }
}

# Generalised DerSimonian-Laird (Jackson, White & Riley 2012) by its formula.
canonical_dl <- function(cm) {
  f <- canonical_fit(cm, 0)
  df <- length(cm$y) - ncol(cm$X)
  WX <- f$W %*% cm$X
  slope <- sum(diag(f$W %*% cm$R)) -
    sum(diag(f$cov %*% crossprod(WX, cm$R %*% WX)))
  max(0, (f$Q - df) / slope)
}

# metafor::rma.mv fit of the canonical model (the model of the reference
# script). `control` defaults to metafor's own optimiser settings; `tau2`
# fixes tau^2 instead of estimating it.
rma_mv_canonical <- function(cm, method, tau2 = NA, control = list()) {
  dat <- data.frame(yi = cm$y, study = cm$study, comp = cm$comparison)
  metafor::rma.mv(yi, cm$V, mods = cm$X, intercept = FALSE,
                  random = ~ comp | study, struct = "CS", rho = 0.5,
                  tau2 = tau2, data = dat, method = method, control = control)
}

# Read a reference fixture.
read_fixture <- function(name) {
  utils::read.csv(test_path("fixtures", name), stringsAsFactors = FALSE)
}

# Largest relative difference (absolute where the target is below 1e-8),
# reported in failure messages and by the agreement summaries.
max_rel_diff <- function(x, y) {
  x <- as.numeric(x); y <- as.numeric(y)
  den <- pmax(abs(y), 1e-8)
  max(abs(x - y) / den)
}

# Every ordered pair of treatments from a fit, as netmeta lays them out.
all_ordered_pairs <- function(fit, model) {
  tab <- as.data.frame(tidy(fit, model = model, comparisons = "all"))
  rev <- tab
  rev$treat1 <- tab$treat2
  rev$treat2 <- tab$treat1
  rev$estimate <- -tab$estimate
  rev$conf.low <- -tab$conf.high
  rev$conf.high <- -tab$conf.low
  rev$statistic <- -tab$statistic
  if (!is.null(tab$pred.low)) {
    rev$pred.low <- -tab$pred.high
    rev$pred.high <- -tab$pred.low
  }
  out <- rbind(tab, rev)
  rownames(out) <- paste(out$treat1, out$treat2, sep = ":")
  out
}

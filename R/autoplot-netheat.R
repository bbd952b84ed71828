# Net heat plot (Krahn, Binder & König 2013), see ?autoplot.nma.

plot_netheat <- function(object, model = "common", min_contribution = 0, ...) {
  check_nma_object(object)
  check_dots_used_plot(...)
  if (!is.numeric(min_contribution) || length(min_contribution) != 1L ||
      !is.finite(min_contribution) || min_contribution < 0 || min_contribution > 1) {
    abort_fastnma("{.arg min_contribution} must be a single number between 0 and 1.",
                  "input")
  }
  h <- netheat_data(object, model)
  if (is.null(h)) {
    abort_fastnma(c(
      "A net heat plot needs designs that form loops.",
      "x" = "The network has no inconsistency degrees of freedom (df between designs = {object$df_between})."
    ), "netheat")
  }
  d <- h$cells
  d$side <- sqrt(pmin(abs(d$contribution), 1))
  d$side[abs(d$contribution) < min_contribution] <- 0
  lim <- max(abs(d$q_diff), 1e-8)
  rows <- levels(d$row)
  n <- length(rows)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$column, y = .data$row)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$q_diff), colour = "grey80",
                       linewidth = 0.2) +
    ggplot2::geom_tile(ggplot2::aes(width = .data$side, height = .data$side),
                       fill = "grey35", alpha = 0.55, colour = NA) +
    scale_fill_fastnma_diverging(
      name = "Change in Q of the row design\nwhen the column design is detached",
      limits = c(-lim, lim), oob = scales::squish,
      guide = ggplot2::guide_colourbar(barwidth = ggplot2::unit(12, "lines"),
                                       title.vjust = 0.9)) +
    ggplot2::scale_y_discrete(limits = rev(rows)) +
    ggplot2::scale_x_discrete(limits = rows, position = "top") +
    ggplot2::coord_equal() +
    ggplot2::labs(
      x = "Detached design", y = "Design",
      subtitle = sprintf("%s; Q between designs = %s, df = %d",
                         if (model == "common") "Common-effect model" else
                           sprintf("Random-effects model (tau\u00b2 = %s)", format_num(object$tau2, 4)),
                         format_num(h$Q_between, 2), object$df_between),
      caption = "Grey squares: contribution of the column design to the network estimate of the row design (area).\nRed: detaching the column design reduces the inconsistency of the row design; blue: it increases it.") +
    theme_fastnma(grid = "none", base_size = if (n > 25) 9 else 11) +
    ggplot2::theme(
      axis.text.x.top = ggplot2::element_text(angle = 90, hjust = 0, vjust = 0.5),
      panel.grid = ggplot2::element_blank())
}

# Design-level quantities of the net heat plot. Each design is represented by
# the pooled direct estimates of its basic contrasts (first arm of the
# design against the others). Returns the hat matrix of these rows
# (contribution of each direct estimate to each network estimate), the
# contribution of each row to Q between designs and its change when each
# design is detached (given its own parameters), restricted to the designs
# that are part of a loop. NULL when no design is.
netheat_data <- function(object, model = "common") {
  tau2 <- if (model == "common") 0 else object$tau2
  dl <- design_level(object, tau2)
  if (is.null(dl) || object$df_between < 1) return(NULL)
  X <- dl$X
  Y <- dl$y
  V <- dl$V
  U <- chol(V)                       # V = U'U
  Ut_inv <- function(M) backsolve(U, M, transpose = TRUE)
  Xw <- Ut_inv(X)
  Yw <- Ut_inv(Y)
  q_rows <- function(cols_extra = NULL) {
    A <- if (is.null(cols_extra)) Xw else cbind(Xw, Ut_inv(cols_extra))
    rw <- qr.resid(qr(A, tol = 1e-10), Yw)
    r <- drop(crossprod(U, rw))      # residual on the original scale
    wr <- drop(backsolve(U, rw))     # V^-1 r
    r * wr
  }
  q0 <- q_rows()
  W <- chol2inv(U)
  H <- X %*% solve(crossprod(X, W %*% X), crossprod(X, W))
  row_design <- dl$design
  designs <- unique(row_design)
  # designs in a loop: their direct estimates are not reproduced exactly
  in_loop <- vapply(designs, function(dd) {
    i <- which(row_design == dd)
    any(abs(diag(H)[i] - 1) > 1e-8) || any(abs(H[i, -i, drop = FALSE]) > 1e-8)
  }, logical(1))
  keep_d <- designs[in_loop]
  if (length(keep_d) < 2L) return(NULL)
  keep <- which(row_design %in% keep_d)
  diff <- vapply(keep_d, function(dd) {
    E <- matrix(0, length(Y), sum(row_design == dd))
    E[cbind(which(row_design == dd), seq_len(ncol(E)))] <- 1
    q0 - q_rows(E)
  }, numeric(length(Y)))
  diff <- diff[keep, , drop = FALSE]
  # columns per design-row: a multi-arm design is detached as a whole
  col_of_row <- match(row_design[keep], keep_d)
  diff <- diff[, col_of_row, drop = FALSE]
  labels <- dl$label[keep]
  dimnames(diff) <- list(labels, labels)
  Hk <- H[keep, keep, drop = FALSE]
  dimnames(Hk) <- list(labels, labels)
  # order rows and columns as netmeta does: hierarchical clustering
  ord <- if (length(keep) > 2L) {
    dd <- stats::dist(diff, method = "manhattan") +
      stats::dist(t(diff), method = "manhattan")
    stats::hclust(dd)$order
  } else seq_along(keep)
  lev <- labels[ord]
  cells <- data.frame(
    row = factor(rep(labels, times = length(labels)), levels = lev),
    column = factor(rep(labels, each = length(labels)), levels = lev),
    q_diff = as.vector(diff),
    contribution = as.vector(Hk),
    stringsAsFactors = FALSE)
  list(cells = cells, Q_design = stats::setNames(q0[keep], labels),
       q_diff = diff, H = Hk, Q_between = sum(q0))
}

# Pooled direct estimates of each design's basic contrasts (against the first
# treatment of the design), their block-diagonal covariance and the design
# matrix of the consistency model (grounded at the reference).
design_level <- function(object, tau2 = 0) {
  d <- object$data
  trt <- object$treatments
  n <- length(trt)
  s_idx <- match(d$study, object$studies)
  a <- match(d$treat1, trt)
  b <- match(d$treat2, trt)
  by_study <- split(seq_along(s_idx), s_idx)
  ref <- match(object$reference, trt)
  blocks <- lapply(seq_along(object$design_arms), function(dd) {
    arms <- sort(object$design_arms[[dd]])
    p <- length(arms)
    studies <- which(object$design == dd)
    Wsum <- matrix(0, p - 1, p - 1)
    Wy <- numeric(p - 1)
    for (s in studies) {
      rows <- by_study[[as.character(s)]]
      est <- study_basic_contrasts(arms, a[rows], b[rows], d$estimate[rows],
                                   d$std.error[rows])
      S <- est$cov + tau2 * (diag(p - 1) + 1) / 2
      Wi <- solve(S)
      Wsum <- Wsum + Wi
      Wy <- Wy + Wi %*% est$y
    }
    Vd <- solve(Wsum)
    list(y = drop(Vd %*% Wy), V = Vd, arms = arms)
  })
  q <- vapply(blocks, function(x) length(x$y), integer(1))
  m <- sum(q)
  X <- matrix(0, m, n)
  V <- matrix(0, m, m)
  y <- numeric(m)
  label <- character(m)
  design <- integer(m)
  pos <- 0L
  for (dd in seq_along(blocks)) {
    bl <- blocks[[dd]]
    i <- pos + seq_len(q[dd])
    X[cbind(i, bl$arms[-1])] <- 1
    X[cbind(i, bl$arms[1])] <- -1
    V[i, i] <- bl$V
    y[i] <- bl$y
    dlab <- paste(trt[bl$arms], collapse = ":")
    label[i] <- if (length(bl$arms) > 2L)
      paste0(trt[bl$arms[1]], ":", trt[bl$arms[-1]], " (", dlab, ")") else dlab
    design[i] <- dd
    pos <- pos + q[dd]
  }
  list(y = y, V = V, X = X[, -ref, drop = FALSE], label = label,
       design = design)
}

# Basic contrasts (arms[-1] vs arms[1]) of one study and their covariance,
# from its pairwise contrasts: arm variances back-solved from the pair
# variances (least squares; exact for consistent multi-arm input).
study_basic_contrasts <- function(arms, a, b, est, se) {
  p <- length(arms)
  # effect of arm j (relative to arm 1), from the rows that involve arm 1
  ia <- match(a, arms)
  ib <- match(b, arms)
  # y_row = mu_ia - mu_ib; least-squares solve with mu_1 = 0
  A <- matrix(0, length(est), p)
  A[cbind(seq_along(est), ia)] <- 1
  A[cbind(seq_along(est), ib)] <- A[cbind(seq_along(est), ib)] - 1
  mu <- c(0, qr.solve(A[, -1, drop = FALSE], est))
  if (p == 2L) return(list(y = mu[2], cov = matrix(se^2, 1, 1)))
  # v_ab = s_a + s_b
  B <- matrix(0, length(est), p)
  B[cbind(seq_along(est), ia)] <- 1
  B[cbind(seq_along(est), ib)] <- 1
  s <- qr.solve(B, se^2)
  cov <- diag(s[-1], p - 1) + s[1]
  list(y = mu[-1], cov = cov)
}

test_that("the decomposition of Q agrees with netmeta on the reference networks", {
  for (i in seq_len(nrow(diag_networks()))) {
    nw <- diag_networks()[i, ]
    fit <- diag_fit(nw$input)
    ref <- diag_read(paste0(nw$name, "_decomp.csv"))
    inc <- inconsistency(fit, heat = FALSE)
    q <- inc$Q
    expect_rel(q$Q[1:3], c(ref$Q_total, ref$Q_within, ref$Q_between), floor = 1e-8)
    expect_equal(q$df, c(ref$df_total, ref$df_within, ref$df_between, ref$df_dbt_random))
    expect_rel(q$Q[4], ref$Q_dbt_random)
    expect_rel(sqrt(inc$tau2_within), ref$tau_within, floor = 1e-8)
  }
})

test_that("detaching designs agrees with netmeta's decomp.design", {
  skip_if_not_installed("netmeta")
  for (input in c("Senn2013_input.csv", "smokingcessation_OR_contrasts.csv")) {
    d <- diag_read(input)
    fit <- diag_fit(input)
    dd <- netmeta::decomp.design(netmeta_fit(d))
    inc <- inconsistency(fit)
    ref <- dd$Q.inc.detach
    # netmeta names designs by their treatments in its own order
    key <- function(x) vapply(strsplit(x, ":", fixed = TRUE),
                              function(t) paste(sort(t), collapse = ":"), "")
    i <- match(key(ref$design), key(inc$designs$design))
    expect_false(anyNA(i))
    expect_rel(inc$designs$Q_detached[i], ref$Q, floor = 1e-8)
    expect_equal(inc$designs$df_detached[i], ref$df)
    # netmeta leaves out designs whose detachment changes nothing (a design
    # that alone links a treatment to the network)
    rest <- setdiff(seq_len(nrow(inc$designs)), i)
    expect_equal(inc$designs$Q_detached[rest], rep(inc$Q$Q[3], length(rest)), tolerance = 1e-10)
    expect_equal(inc$designs$df_detached[rest], rep(inc$Q$df[3], length(rest)))
    het <- dd$Q.het.design
    j <- match(key(inc$designs$design), key(het$design))
    keep <- !is.na(j)
    expect_rel(inc$designs$Q_within[keep], het$Q[j[keep]], floor = 1e-8)
  }
})

test_that("design contributions add up and the heat matrix is consistent", {
  fit <- diag_fit("Senn2013_input.csv")
  inc <- inconsistency(fit)
  expect_equal(sum(inc$designs$Q_between), inc$Q$Q[3], tolerance = 1e-10)
  expect_equal(sum(inc$designs$Q_within), inc$Q$Q[2], tolerance = 1e-10)
  expect_equal(unname(diag(inc$heat)), inc$designs$Q_between, tolerance = 1e-12)
  # detaching a design removes its own contribution and changes the others'
  # by the amount its total changes
  total_after <- inc$Q$Q[3] - colSums(inc$heat)
  expect_equal(unname(total_after), inc$designs$Q_detached, tolerance = 1e-8)
  expect_equal(dim(inc$heat_random), dim(inc$heat))
  expect_output(print(inc), "Design-by-treatment interaction")
  expect_equal(nrow(tidy(inc)), 4L)
  expect_equal(nrow(glance(inc)), 1L)
})

test_that("inconsistency() needs three treatments", {
  d <- data.frame(study = c("s1", "s2"), treat1 = "B", treat2 = "A",
                  TE = c(-0.5, -0.3), seTE = c(0.2, 0.3))
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  expect_error(inconsistency(fit), class = "fastnma_error_treatments")
})

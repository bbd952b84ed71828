# Every table the package returns, labelled by what returns it ("tidy(<nma>)",
# "glance(<nma_confidence>)", "node_split()", ...), on fits of every kind: the
# glossary's `used_by` column lists, for each column, the labels of the
# tables that have it.
glossary_labelled_outputs <- function() {
  q <- function(x) suppressWarnings(suppressMessages(x))
  out <- list()
  add <- function(label, value) {
    out[[length(out) + 1L]] <<- list(label = label, value = value)
  }
  # a table-shaped result: its own columns and those of tidy()
  add_table <- function(verb, value, ...) {
    add(paste0(verb, "()"), value)
    add(sprintf("tidy(<%s>)", class(value)[1L]), tidy(value, ...))
  }
  md <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac",
            tau2_method = "DL")
  or <- q(nma_binary(smokingcessation, measure = "OR", method = "IV"))
  mh <- q(nma_binary(dong2013, measure = "OR", reference = "Placebo"))
  glmm <- q(nma_binary(smokingcessation, method = "GLMM", n_agq = 1))
  for (fit in list(md, or, mh, glmm)) {
    cls <- class(fit)[1L]
    models <- if (inherits(fit, "nma_mh")) "common" else c("random", "common")
    for (m in models) {
      add(sprintf("tidy(<%s>)", cls), tidy(fit, model = m))
      add(sprintf("tidy(<%s>)", cls), tidy(fit, model = m, comparisons = "all"))
    }
    add(sprintf("glance(<%s>)", cls), glance(fit))
    add_table("league_table", league_table(fit))
    add_table("rank_treatments", rank_treatments(fit))
    sucra <- rank_treatments(fit, method = "sucra", n_sim = 200, seed = 1)
    add_table("rank_treatments", sucra)
    add("tidy(<nma_ranks>)", tidy(sucra, probabilities = TRUE))
    add("zero_cell_audit()", zero_cell_audit(fit))
    add_table("benefit_harm", benefit_harm(fit, fit))
    bind <- nma_bind(a = fit, b = fit)
    add("tidy(<nma_bind>)", tidy(bind))
    add("glance(<nma_bind>)", glance(bind))
    if (fit$measure != "MD") {
      add_table("absolute_effects", absolute_effects(fit, c(low = 0.02, high = 0.1)))
    }
    if (inherits(fit, c("nma_mh", "nma_glmm"))) next
    for (m in models) {
      add_table("node_split", node_split(fit, model = m))
      add_table("node_split", node_split(fit, model = m, method = "separate",
                                         comparisons = "all"))
      add_table("direct_estimates", direct_estimates(fit, model = m))
    }
    cb <- contributions(fit, study = TRUE)
    add("tidy(<nma_contrib>)", tidy(cb))
    add("tidy(<nma_contrib>)", tidy(cb, study = TRUE))
    groups <- stats::setNames(rep(c("low", "high"), length.out = length(fit$studies)), fit$studies)
    add("tidy(<nma_contrib>)", tidy(contributions(fit, by = groups), by = TRUE))
    loo <- leave_one_out(fit)
    add("tidy(<nma_influence>)", tidy(loo))
    add("leave_one_out()$studies", loo$studies)
    add("glance(<nma_influence>)", glance(loo))
    inc <- inconsistency(fit)
    add("tidy(<nma_inconsistency>)", tidy(inc))
    add("glance(<nma_inconsistency>)", glance(inc))
    add("inconsistency()$designs", inc$designs)
    rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                           fit$studies)
    cf <- confidence(fit, rob, margin = 0.2, reporting_bias = "egger")
    add_table("confidence", cf)
    add("glance(<nma_confidence>)", glance(cf))
    add("summary(<nma_confidence>)", summary(cf))
    add_table("confidence", confidence(fit, rob, margin = 0.2, robustness = TRUE))
    cum <- q(cumulative_nma(fit, stats::setNames(seq_len(fit$k) %/% 4, fit$studies)))
    add("tidy(<nma_cumulative>)", tidy(cum))
    add("tidy(<nma_cumulative>)", tidy(cum, model = "common", comparisons = "all"))
    add("tidy(<nma_cumulative>)", tidy(cum, type = "steps"))
    add("glance(<nma_cumulative>)", glance(cum))
    sg <- q(subgroup_nma(fit, stats::setNames(rep(c("a", "b"), length.out = fit$k), fit$studies)))
    add("tidy(<nma_subgroup>)", tidy(sg))
    add("tidy(<nma_subgroup>)", tidy(sg, type = "test"))
    add("glance(<nma_subgroup>)", glance(sg))
    reg <- nma_regression(fit, stats::setNames(seq_len(fit$k) / fit$k, fit$studies))
    add("tidy(<nma_regression>)", tidy(reg))
    add("glance(<nma_regression>)", glance(reg))
    add("predict(<nma_regression>)", stats::predict(reg, at = c(0.2, 0.8)))
    th <- threshold(fit)
    add("tidy(<nma_threshold>)", tidy(th))
    add("glance(<nma_threshold>)", glance(th))
    add("tidy(<nma_threshold>)", tidy(threshold(fit, level = "contrast")))
    om <- outliers(fit)
    add("tidy(<nma_outliers>)", tidy(om))
    add("glance(<nma_outliers>)", glance(om))
    fs <- forward_search(fit, n_candidates = 5, seed = 1)
    add("tidy(<nma_forward>)", tidy(fs))
    add("glance(<nma_forward>)", glance(fs))
  }
  by <- q(nma_binary(rbind(cbind(dong2013, outcome = "a"), cbind(dong2013, outcome = "b")),
                     measure = "OR", by = outcome, reference = "Placebo"))
  add("tidy(<nma_binary_by>)", tidy(by))
  add("glance(<nma_binary_by>)", glance(by))
  batch <- nma(rbind(cbind(senn2013, outcome = "a"), cbind(senn2013, outcome = "b")),
               TE, seTE, treat1, treat2, study, by = outcome,
               batch = batch_control(rank = "sucra", n_sim = 100, seed = 1))
  add("tidy(<nma_batch>)", tidy(batch))
  add("tidy(<nma_batch>)", tidy(batch, model = "common", comparisons = "all"))
  add("tidy(<nma_batch>)", tidy(batch, ranks = TRUE))
  add("glance(<nma_batch>)", glance(batch))
  cnma <- component_nma(md, inactive = "plac")
  add("tidy(<nma_component>)", tidy(cnma))
  add("tidy(<nma_component>)", tidy(cnma, type = "combinations"))
  add("tidy(<nma_component>)", tidy(cnma, type = "comparisons", model = "common"))
  add("glance(<nma_component>)", glance(cnma))
  add("pairwise_binary()", q(pairwise_binary(dong2013, measure = "OR")))
  dose <- dose_nma(simulate_dose_nma(seed = 4, n_studies = 40), method = "emax")
  for (type in c("coefficients", "reference", "pairs")) {
    add("tidy(<nma_dose>)", tidy(dose, type = type))
  }
  add("glance(<nma_dose>)", glance(dose))
  add("glance(<nma_dose>)", glance(dose, model = "common"))
  add("predict(<nma_dose>)", stats::predict(dose, agent = "A", dose = 1:3))
  out
}

# For each column, the labels of the tables that have it ("; "-separated,
# sorted).
glossary_used_by <- function(outputs = glossary_labelled_outputs()) {
  pairs <- do.call(rbind, lapply(outputs, function(o) {
    data.frame(column = names(o$value), label = o$label, stringsAsFactors = FALSE)
  }))
  pairs <- unique(pairs)
  vapply(split(pairs$label, pairs$column),
         function(l) paste(sort(unique(l), method = "radix"), collapse = "; "), character(1))
}

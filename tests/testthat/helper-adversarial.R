# The adversarial battery: bad, awkward and extreme inputs, each with what
# must happen. `expect` is either the class of the error (without the
# "fastnma_error_" prefix) or "ok" with a `check` that the result is the
# documented handling (finite where finite is documented, NA where NA is
# documented). tools/adversarial.R runs the battery and counts the outcomes
# for CONTRIBUTING.md; test-adversarial.R asserts every case.

adversarial_data <- function() {
  tri <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "C"),
                    treat2 = c("A", "A", "B"), estimate = c(0.5, 1.4, -0.6),
                    std.error = c(0.2, 0.25, 0.3))
  set.seed(8)
  star8 <- data.frame(study = paste0("s", 1:7), treat1 = paste0("T", 1:7), treat2 = "P",
                      estimate = stats::rnorm(7), std.error = c(0.325, stats::runif(6, 0.2, 0.5)))
  arms <- data.frame(study = rep(paste0("s", 1:4), each = 2), treatment = rep(c("A", "B"), 4),
                     events = c(0, 3, 0, 5, 0, 2, 0, 4), n = rep(50, 8),
                     mean = c(1, 2, 1.5, 2.5, 1, 2, 1.2, 2.2), sd = 1)
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  # events in every arm, for the binomial-normal model
  arms_g <- transform(arms, events = c(2, 3, 1, 5, 3, 2, 1, 4))
  list(tri = tri, star8 = star8, arms = arms, arms_g = arms_g, fit = fit)
}

with_value <- function(d, col, row, value) {
  d[[col]][row] <- value
  d
}

finite_tidy <- function(x) {
  tt <- tidy(x)
  all(is.finite(tt$estimate)) && all(is.finite(tt$std.error))
}

adversarial_cases <- function() {
  cases <- list(
    # 1. tau^2 not identifiable (df = 0)
    list(name = "star, REML: tau2 0, SE of the single study", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma(star8, reference = "P"))),
         check = function(f) f$tau2 == 0 && abs(tidy(f)$std.error[tidy(f)$treat1 == "T1"] - 0.325) < 1e-12),
    list(name = "single study, REML", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma(tri[1, ]))), check = function(f) f$tau2 == 0),
    list(name = "tree, ML", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma(tri[1:2, ], tau2_method = "ML"))), check = function(f) f$tau2 == 0),
    list(name = "tree, Hartung-Knapp", crash = FALSE, expect = "hk",
         expr = quote(suppressMessages(nma(tri[1:2, ], ci_method = "hk")))),
    # 2-3. edited fits (these crashed R)
    list(name = "edited studies, node_split", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$studies <- f$studies[1:3]; node_split(f)})),
    list(name = "edited treatments, direct_estimates", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$treatments <- f$treatments[-1]; direct_estimates(f)})),
    list(name = "edited covariance, rank_treatments", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$random$cov <- f$random$cov[1:2, 1:2]; rank_treatments(f)})),
    list(name = "edited covariance, sucra", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$common$cov <- f$common$cov[1:2, 1:2]; rank_treatments(f, "sucra", model = "common", n_sim = 10, seed = 1)})),
    list(name = "edited codes, leave_one_out", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$network$codes$treat1[1] <- 99L; leave_one_out(f)})),
    list(name = "edited codes, contributions", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$network$codes$study[2] <- -3L; contributions(f)})),
    list(name = "edited network SE, inconsistency", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$network$data$std.error[1] <- -1; inconsistency(f)})),
    list(name = "edited theta, league_table", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$random$theta <- f$random$theta[-1]; league_table(f)})),
    list(name = "network removed, node_split", crash = TRUE, expect = "fit_data",
         expr = quote({f <- fit; f$network <- NULL; node_split(f)})),
    # 4. finite extremes
    list(name = "SE 1e-200", crash = FALSE, expect = "se",
         expr = quote(nma(with_value(tri, "std.error", 2, 1e-200)))),
    list(name = "SE 1e200", crash = FALSE, expect = "se",
         expr = quote(nma(with_value(tri, "std.error", 2, 1e200)))),
    list(name = "estimate 1e300, DL", crash = FALSE, expect = "estimate",
         expr = quote(nma(with_value(tri, "estimate", 3, 1e300), tau2_method = "DL"))),
    list(name = "estimate -1e300, REML", crash = FALSE, expect = "estimate",
         expr = quote(nma(with_value(tri, "estimate", 3, -1e300)))),
    list(name = "estimates 1e95 with SEs 1e-95: Q overflows", crash = FALSE, expect = "numerical",
         expr = quote(nma(transform(tri, estimate = estimate * 1e95, std.error = std.error * 1e-95), tau2_method = "DL"))),
    list(name = "SE 1e-40, finite results", crash = FALSE, expect = "ok",
         expr = quote(nma(transform(tri, std.error = std.error * 1e-40), tau2_method = "DL")),
         check = function(f) finite_tidy(f) && is.finite(f$Q)),
    list(name = "estimate Inf", crash = FALSE, expect = "estimate",
         expr = quote(nma(with_value(tri, "estimate", 1, Inf)))),
    list(name = "SE NaN", crash = FALSE, expect = "missing",
         expr = quote(nma(with_value(tri, "std.error", 1, NaN)))),
    list(name = "SE 0", crash = FALSE, expect = "se",
         expr = quote(nma(with_value(tri, "std.error", 1, 0)))),
    # 5. integer ranges
    list(name = "n_sim 3e9", crash = FALSE, expect = "n_sim",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 3e9))),
    list(name = "n_sim 1.5", crash = FALSE, expect = "n_sim",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 1.5))),
    list(name = "n_sim 0", crash = FALSE, expect = "n_sim",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 0))),
    list(name = "seed -1", crash = FALSE, expect = "seed",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 10, seed = -1))),
    list(name = "seed 1e30", crash = FALSE, expect = "seed",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 10, seed = 1e30))),
    list(name = "seed 2.5", crash = FALSE, expect = "seed",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 10, seed = 2.5))),
    list(name = "seed at the top of the range", crash = FALSE, expect = "ok",
         expr = quote(rank_treatments(fit, "sucra", n_sim = 10, seed = .Machine$integer.max)),
         check = function(r) all(is.finite(r$sucra))),
    # 6. pairwise_binary with no events in one treatment, or at all
    list(name = "pairwise MH, one treatment without events", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(pairwise_binary(arms, study, treatment, events, n, measure = "RR"))),
         check = function(r) all(is.finite(r$estimate)) && all(is.finite(r$std.error))),
    list(name = "pairwise MH, no events at all", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(pairwise_binary(transform(arms, events = 0), study, treatment, events, n, measure = "RR"))),
         check = function(r) all(is.na(r$estimate)) && all(is.na(r$std.error))),
    # 7. impossible arm data
    list(name = "SMD with an arm of n = 1", crash = FALSE, expect = "arm_data",
         expr = quote(arm_contrasts(with_value(arms, "n", 1, 1), measure = "SMD"))),
    list(name = "Hedges' g with n = 1 arms", crash = FALSE, expect = "arm_data",
         expr = quote(arm_contrasts(with_value(with_value(arms, "n", 1, 1), "n", 2, 1), measure = "SMD", smd = "hedges"))),
    list(name = "n = Inf", crash = FALSE, expect = "arm_data",
         expr = quote(arm_contrasts(with_value(arms, "n", 1, Inf), measure = "SMD"))),
    list(name = "events > n", crash = FALSE, expect = "arm_data",
         expr = quote(arm_contrasts(with_value(arms, "events", 2, 51), measure = "OR"))),
    list(name = "negative SD", crash = FALSE, expect = "arm_data",
         expr = quote(arm_contrasts(with_value(arms, "sd", 2, -1), measure = "MD"))),
    # 8. separators inside labels
    list(name = "label with ':' as contribution reference", crash = FALSE, expect = "ok",
         expr = quote({d <- transform(tri, treat1 = sub("C", "ctl:pbo", treat1), treat2 = sub("C", "ctl:pbo", treat2))
                       ggplot2::ggplot_build(autoplot(contributions(nma(d, tau2_method = "DL")), reference = "ctl:pbo"))}),
         check = function(b) nrow(b$data[[1]]) > 0),
    list(name = "label with carriage return in a league table", crash = FALSE, expect = "ok",
         expr = quote({d <- transform(tri, treat1 = sub("C", "x\ry", treat1), treat2 = sub("C", "x\ry", treat2))
                       f <- nma(d, tau2_method = "DL"); list(f = f, l = league_table(f))}),
         check = function(r) {
           l <- r$l; tt <- tidy(r$f, comparisons = "all")
           cell <- l$estimate[l$treat1 == "x\ry" & l$treat2 == "A"]
           isTRUE(all.equal(cell, tt$estimate[tt$treat1 == "x\ry" & tt$treat2 == "A"]))
         }),
    # 9. vague messages
    list(name = "every study removed by the zero-cell policy", crash = FALSE, expect = "empty",
         expr = quote(nma(suppressMessages(arm_contrasts(transform(arms, events = 0), measure = "OR"))))),
    list(name = "default mean column absent (base::mean)", crash = FALSE, expect = "column",
         expr = quote(arm_contrasts(arms[c("study", "treatment", "n", "sd")], measure = "MD"))),
    list(name = "binary columns without measure", crash = FALSE, expect = "measure",
         expr = quote(arm_contrasts(arms[c("study", "treatment", "events", "n")]))),
    list(name = "empty treatment label", crash = FALSE, expect = "label",
         expr = quote(nma(with_value(tri, "treat1", 1, "")))),
    list(name = "labels differing by white space", crash = FALSE, expect = "label",
         expr = quote(nma(with_value(tri, "treat1", 1, "B ")))),
    list(name = "blank study label", crash = FALSE, expect = "label",
         expr = quote(nma(with_value(tri, "study", 1, "  ")))),
    list(name = "zero-byte CSV extraction sheet", crash = FALSE, expect = "file",
         expr = quote({f <- tempfile(fileext = ".csv"); file.create(f); analyse_msc(f, outcome = "pain")})),
    # more: structure
    list(name = "disconnected network", crash = FALSE, expect = "disconnected",
         expr = quote(nma(data.frame(study = c("a", "b"), treat1 = c("A", "C"), treat2 = c("B", "D"),
                                     estimate = 0.1, std.error = 0.1)))),
    list(name = "self comparison", crash = FALSE, expect = "self_comparison",
         expr = quote(nma(with_value(tri, "treat1", 1, "A")))),
    list(name = "duplicated pair", crash = FALSE, expect = "duplicate_pair",
         expr = quote(nma(rbind(tri, transform(tri[1, ], estimate = 0.3))))),
    list(name = "incomplete multi-arm study", crash = FALSE, expect = "multiarm",
         expr = quote(nma(transform(tri, study = c("s1", "s1", "s2"))))),
    list(name = "inconsistent multi-arm study", crash = FALSE, expect = "multiarm",
         expr = quote(nma(transform(tri, study = "s1", estimate = c(0.5, 1.4, 5))))),
    list(name = "one treatment only", crash = FALSE, expect = "self_comparison",
         expr = quote(nma(data.frame(study = "a", treat1 = "A", treat2 = "A", estimate = 0, std.error = 1)))),
    list(name = "not a data frame", crash = FALSE, expect = "data_frame",
         expr = quote(nma(list(a = 1)))),
    list(name = "zero rows", crash = FALSE, expect = "data_frame",
         expr = quote(nma(tri[0, ]))),
    list(name = "exponentiate a mean difference", crash = FALSE, expect = "exponentiate",
         expr = quote(tidy(fit, exponentiate = TRUE))),
    list(name = "random model of an MH fit", crash = FALSE, expect = "model",
         expr = quote(rank_treatments(suppressMessages(nma_binary(dong2013, measure = "OR")), model = "random"))),
    list(name = "node_split of an MH fit", crash = TRUE, expect = "not_supported",
         expr = quote(node_split(suppressMessages(nma_binary(dong2013, measure = "OR"))))),
    list(name = "leave_one_out of an MH fit", crash = TRUE, expect = "not_supported",
         expr = quote(leave_one_out(suppressMessages(nma_binary(dong2013, measure = "OR"))))),
    list(name = "league_table of an MH fit", crash = TRUE, expect = "ok",
         expr = quote(league_table(suppressMessages(nma_binary(dong2013, measure = "OR")))),
         check = function(l) all(is.finite(l$estimate[!is.na(l$estimate)]))),
    # the binomial-normal model (GLMM): zero cells, arms and studies without
    # events or with only events, one study, a disconnected network
    list(name = "GLMM, zero cells", crash = TRUE, expect = "ok",
         expr = quote(suppressMessages(nma_binary(transform(arms_g, events = replace(events, 1, 0)),
                                                  method = "GLMM"))),
         check = finite_tidy),
    list(name = "GLMM, a study without events is left out", crash = TRUE, expect = "ok",
         expr = quote(suppressMessages(nma_binary(transform(arms_g, events = replace(events, 1:2, 0)),
                                                  method = "GLMM"))),
         check = function(f) finite_tidy(f) && f$k == 3L),
    list(name = "GLMM, a study with events in every patient is left out", crash = TRUE,
         expect = "ok",
         expr = quote(suppressMessages(nma_binary(transform(arms_g, events = replace(events, 1:2, n[1:2])),
                                                  method = "GLMM"))),
         check = function(f) finite_tidy(f) && f$k == 3L),
    list(name = "GLMM, a treatment without events anywhere", crash = TRUE,
         expect = "not_estimable",
         expr = quote(nma_binary(transform(arms_g, events = ifelse(treatment == "B", 0, events)),
                                 method = "GLMM"))),
    list(name = "GLMM, a treatment with only events", crash = TRUE, expect = "not_estimable",
         expr = quote(nma_binary(transform(arms_g, events = ifelse(treatment == "B", n, events)),
                                 method = "GLMM"))),
    list(name = "GLMM, no events at all", crash = TRUE, expect = "empty",
         expr = quote(suppressMessages(nma_binary(transform(arms_g, events = 0), method = "GLMM")))),
    list(name = "GLMM, one study", crash = TRUE, expect = "ok",
         expr = quote(nma_binary(arms_g[1:2, ], method = "GLMM")), check = finite_tidy),
    list(name = "GLMM, disconnected network", crash = TRUE, expect = "disconnected",
         expr = quote(nma_binary(
           rbind(arms_g[c("study", "treatment", "events", "n")],
                 data.frame(study = c("u", "u"), treatment = c("C", "D"), events = c(2, 4),
                            n = c(30, 30))),
           method = "GLMM"))),
    # 9. the conditional (non-central hypergeometric) likelihood on sparse data
    list(name = "NCH, a treatment without events in every arm", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma_binary(transform(dong2013, events = ifelse(treatment == "TIO-SMI", 0, events)), method = "NCH"))),
         check = function(f) finite_tidy(f) && !"TIO-SMI" %in% f$treatments &&
           all(zero_cell_audit(f)$action %in% c("excluded", "arm excluded", "no information"))),
    list(name = "NCH, a treatment with events in every patient", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma_binary(transform(dong2013, events = ifelse(treatment == "TIO-SMI", n, events)), method = "NCH"))),
         check = function(f) finite_tidy(f) && !"TIO-SMI" %in% f$treatments),
    list(name = "NCH, a comparison with no events anywhere", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma_binary(data.frame(
           study = rep(c("ab1", "ab2", "ac", "bc"), each = 2),
           treatment = c("A", "B", "A", "B", "A", "C", "B", "C"),
           events = c(0, 0, 0, 0, 2, 5, 3, 1), n = 40), method = "NCH"))),
         check = function(f) finite_tidy(f) &&
           setequal(zero_cell_audit(f)$study, c("ab1", "ab2")) &&
           all(zero_cell_audit(f)$action == "no information")),
    list(name = "NCH, one study", crash = FALSE, expect = "ok",
         expr = quote(suppressMessages(nma_binary(data.frame(study = "s", treatment = c("A", "B"), events = c(1, 4), n = 30), method = "NCH"))),
         check = function(f) finite_tidy(f) && f$k == 1L),
    list(name = "NCH, one study without events", crash = FALSE, expect = "empty",
         expr = quote(suppressMessages(nma_binary(data.frame(study = "s", treatment = c("A", "B"), events = 0, n = 30), method = "NCH")))),
    list(name = "NCH, disconnected network", crash = FALSE, expect = "disconnected",
         expr = quote(suppressMessages(nma_binary(data.frame(study = rep(c("s1", "s2"), each = 2), treatment = c("A", "B", "C", "D"), events = c(1, 3, 2, 5), n = 20), method = "NCH")))),
    list(name = "NCH, events separate the treatments", crash = FALSE, expect = "numerical",
         expr = quote(suppressMessages(nma_binary(data.frame(study = rep(c("s1", "s2"), each = 2), treatment = c("A", "B"), events = c(0, 4, 5, 20), n = 20), method = "NCH")))),
    list(name = "NCH, a random model", crash = FALSE, expect = "model",
         expr = quote(rank_treatments(suppressMessages(nma_binary(dong2013, method = "NCH")), model = "random"))),
    list(name = "node_split of an NCH fit", crash = FALSE, expect = "not_supported",
         expr = quote(node_split(suppressMessages(nma_binary(dong2013, method = "NCH")))))
  )
  cases
}

# Run one case in the current process: "ok", "wrong" (plausible but not the
# documented handling), "nan" (non-finite where finite is documented),
# "classed:<class>", "unclassed" (an error without the fastnma_error class).
run_adversarial_case <- function(case, env) {
  res <- tryCatch(list(value = eval(case$expr, env)), error = function(e) list(error = e))
  if (!is.null(res$error)) {
    e <- res$error
    if (!inherits(e, "fastnma_error")) return(list(outcome = "unclassed", message = conditionMessage(e)))
    cl <- sub("^fastnma_error_", "", class(e)[1])
    return(list(outcome = paste0("classed:", cl), message = conditionMessage(e)))
  }
  if (is.null(case$check)) return(list(outcome = "no_error", message = ""))
  ok <- tryCatch(isTRUE(case$check(res$value)), error = function(e) FALSE)
  list(outcome = if (ok) "ok" else "wrong", message = "")
}

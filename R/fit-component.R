#' Component network meta-analysis
#'
#' Fits the additive component network meta-analysis model of Rücker,
#' Petropoulou and Schwarzer (2020), or a model with chosen interaction
#' terms, with common and random effects. Treatments that are combinations of
#' components (`"BM-MSC + HA"`, `"HA"`) are split into their components; the
#' effect of a combination is the sum of the effects of its components (plus
#' the interaction terms asked for). Fitted by the compiled core of [nma()]
#' with the treatment design replaced by the component design.
#'
#' @section Model:
#' Let \eqn{A} be the combination matrix, one row per treatment and one column
#' per component (1 when the treatment contains the component), with one more
#' column per interaction term (the product of the columns of its
#' components). For a study with arms \eqn{a_0 < \dots < a_{p-1}} the basic
#' contrasts follow
#' \deqn{d \sim N(X\beta, S + \tau^2 R), \quad X_j = A_{a_j} - A_{a_0},}
#' with the within-study covariance \eqn{S} and \eqn{R = (I + J)/2} of
#' [nma()] (multi-arm studies through the reduced weights of Rücker and
#' Schwarzer 2014). The standard NMA is the special case where every
#' treatment is its own component. The components of an `inactive`
#' treatment (placebo, usual care) have effect zero: their columns are
#' dropped.
#'
#' @section Heterogeneity and tests:
#' By default (`tau2_method = "DL"`) \eqn{\tau^2} is the method-of-moments
#' estimate from the additive (or interaction) model's own Q,
#' \eqn{\max\{0, (Q - df)/(\mathrm{tr}(WR) - \mathrm{tr}((X'WX)^{-1}X'WRWX))\}}
#' with \eqn{df} = number of independent contrasts minus number of model
#' columns, as `netmeta::netcomb()` reports it. `"REML"` and `"ML"` maximise
#' the (restricted) likelihood of the model above. Q of the component model
#' (`Q_additive`) tests its fit; `Q_diff`, the increase of Q over the
#' standard NMA (`Q_standard`) with \eqn{df} the difference in the number of
#' parameters, tests the additive model against the standard model.
#'
#' @section Disconnected networks:
#' Given contrast data (an `nma_contrasts` table, a data frame with the
#' columns of one, or an [nma_network()]), the network need not be
#' connected: components shared between its parts connect them (the model
#' `netmeta::discomb()` fits). Components the data do not identify are an
#' error of class `fastnma_error_component_identifiable` that names them. The
#' standard model of a disconnected network is fitted within each part, so
#' `Q_standard` and `Q_diff` are reported where `discomb()` reports none.
#'
#' @param x An [nma()] fit (inverse variance), an [nma_network()], or a
#'   contrast table with the columns `study, treat1, treat2, estimate,
#'   std.error` (for instance from [arm_contrasts()]).
#' @param sep The string that separates components in treatment labels
#'   (matched literally; white space around components is dropped).
#' @param inactive `NULL` or the name of an inactive component (for instance
#'   `"Placebo"`), whose effect is zero.
#' @param interactions `NULL`, or a character vector of interaction terms,
#'   each naming components joined by `"*"` (`"SSRI*Face-to-face CBT"`), or a
#'   list of character vectors of component names. An interaction term adds
#'   one parameter for every treatment that contains all its components.
#' @param tau2_method `"DL"` (default, as netcomb), `"REML"` or `"ML"`.
#' @param tau2 `NULL` or a preset heterogeneity variance (not its square
#'   root: `tau2 = v` matches `netcomb(tau.preset = sqrt(v))`).
#' @param level Confidence level; by default that of the fit, else 0.95.
#' @param measure,reference For contrast data: the effect measure (taken from
#'   an `nma_contrasts` table) and the reference treatment of the comparisons
#'   (by default the fit's, or the first treatment in sorted order).
#' @param ... Unused; must be empty.
#'
#' @return An object of class `nma_component`: component effects and their
#'   covariance for the common and random effects models, the effects of the
#'   combinations they imply (`$common`, `$random`, `$comb_common`,
#'   `$comb_random`, each with the estimates `theta` and their covariance
#'   `cov`, as in every fit; `beta` still reads for one release), Q of the
#'   component model and its test against the standard model, \eqn{\tau^2}. Read it with [tidy()] (one row per
#'   component, or `type = "combinations"`, `type = "comparisons"`),
#'   [glance()] and [autoplot()].
#'
#' @references
#' Rücker G, Petropoulou M, Schwarzer G (2020). Network meta-analysis of
#' multicomponent interventions. *Biometrical Journal* 62(2):348-366.
#' \doi{10.1002/bimj.201800167}
#'
#' Welton NJ, Caldwell DM, Adamopoulos E, Vedhara K (2009). Mixed treatment
#' comparison meta-analysis of complex interventions: psychological
#' interventions in coronary heart disease. *American Journal of
#' Epidemiology* 169(9):1158-1165. \doi{10.1093/aje/kwp014}
#'
#' Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights?
#' Comparing two approaches to multi-arm studies in network meta-analysis.
#' *Statistics in Medicine* 33(25):4353-4369. \doi{10.1002/sim.6236}
#'
#' @examples
#' d <- data.frame(
#'   study = c("s1", "s2", "s3", "s4", "s5"),
#'   treat1 = c("A", "B", "A + B", "A + B", "B"),
#'   treat2 = c("P", "P", "P", "A", "A"),
#'   estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
#'   std.error = c(0.2, 0.25, 0.3, 0.2, 0.3)
#' )
#' fit <- nma(d, measure = "MD", reference = "P")
#' cnma <- component_nma(fit, inactive = "P")
#' cnma
#' tidy(cnma)
#' tidy(cnma, type = "combinations")
#' glance(cnma)
#' @export
component_nma <- function(x, sep = "+", inactive = NULL, interactions = NULL,
                          tau2_method = c("DL", "REML", "ML"), tau2 = NULL,
                          level = NULL, measure = NULL, reference = NULL, ...) {
  netmeta_guard()
  call <- match.call()
  if (...length() > 0L) check_dots_empty(...)
  tau2_method <- check_choice(if (missing(tau2_method)) NULL else tau2_method,
                              c("DL", "REML", "ML"), "tau2_method")
  check_tau2_preset(tau2)
  src <- component_source(x, measure, reference)
  net <- src$network
  level <- level %||% src$level
  check_level(level)
  if (!is.character(sep) || length(sep) != 1L || is.na(sep) || !nzchar(sep)) {
    abort_fastnma("{.arg sep} must be a single non-empty string.", "component")
  }
  A <- combination_matrix(net$treatments, sep, inactive, interactions)
  res <- component_fit_cpp(net, A, list(
    method = tau2_method, tol_tau2 = 1e-10,
    tau2_preset = if (is.null(tau2)) -1 else as.double(tau2)))
  if (res$status != 0L) {
    abort_core_status(res, net$studies, net$treatments, net$columns,
                      list(treat1 = net$data$treat1, treat2 = net$data$treat2),
                      model_columns = colnames(A))
  }
  comps <- colnames(A)
  trt <- net$treatments
  named <- function(b, V, nm) {
    names(b) <- nm
    dimnames(V) <- list(nm, nm)
    new_model_coefficients(b, V)
  }
  announce_tau2(res, tau2_method,
                c("i" = "tau^2 is set to 0: the component model has no degrees of freedom for Q."),
                hint = "Consider {.code tau2_method = \"DL\"}.")
  i2 <- i2_interval(res$Q, res$df, level)
  new_fastnma_result(list(
    call = call,
    measure = net$measure,
    treatments = trt,
    reference = src$reference,
    studies = net$studies,
    network = net,
    components = comps,
    combination = A,
    sep = sep,
    inactive = inactive,
    interactions = attr(A, "interactions"),
    k = length(net$studies),
    m = length(net$data$study),
    n = length(trt),
    n_parts = res$n_parts,
    parts = res$parts,
    common = named(res$beta_common, res$cov_common, comps),
    random = named(res$beta_random, res$cov_random, comps),
    comb_common = named(res$comb_common, res$comb_cov_common, trt),
    comb_random = named(res$comb_random, res$comb_cov_random, trt),
    tau2 = res$tau2,
    tau2_method = if (is.null(tau2)) tau2_method else "preset",
    tau2_info = list(iterations = res$tau2_iterations, converged = res$tau2_converged,
                     boundary = res$tau2_boundary, identifiable = res$tau2_identifiable),
    Q = res$Q, df = res$df,
    Q_standard = res$Q_standard, df_standard = res$df_standard,
    Q_diff = res$Q - res$Q_standard, df_diff = res$df - res$df_standard,
    I2 = i2[["I2"]], I2_lower = i2[["lower"]], I2_upper = i2[["upper"]],
    loglik = c(ML = res$loglik_ml, REML = res$loglik_reml),
    n_obs = res$n_obs,
    level = level,
    small_values = src$small_values
  ), "nma_component")
}

# Where the contrasts come from: an nma() fit, a network, or contrast data.
component_source <- function(x, measure, reference, call = rlang::caller_env()) {
  measure <- check_measure(measure, call = call)
  if (inherits(x, "nma_collection")) abort_collection(x, call = call)
  if (inherits(x, "nma")) {
    check_supports(x, "component_nma", call = call)
    if (!is.null(measure) && !identical(measure, x$measure)) {
      abort_fastnma(c("{.arg measure} must agree with the fit.",
                      "x" = "The fit is for {.val {x$measure}}; {.arg measure} is {.val {measure}}."),
                    "measure", call = call)
    }
    ref <- if (is.null(reference)) x$reference else
      check_reference(reference, x$treatments, call = call)
    # check_supports() has checked the fit against its network
    return(list(network = x$network, level = x$level,
                reference = ref, small_values = x$small_values))
  }
  if (inherits(x, "nma_network")) {
    net <- x
    if (!is.null(measure) && !identical(measure, net$measure)) {
      abort_fastnma(c("{.arg measure} must agree with the network.",
                      "x" = "The network is for {.val {net$measure}}; {.arg measure} is {.val {measure}}."),
                    "measure", call = call)
    }
  } else if (is.data.frame(x)) {
    check_no_contrasts_left(x, call = call)
    exprs <- lapply(default_columns(), as.name)
    net <- network_from_data(x, exprs, environment(), measure, 1e-3, call = call)
  } else {
    abort_fastnma(c(
      "{.arg x} must be a fit made by {.fn nma}, a network made by {.fn nma_network}, or a contrast table.",
      "x" = "It is {.obj_type_friendly {x}}."
    ), "not_fit", call = call)
  }
  ref <- check_reference(reference, net$treatments, call = call)
  list(network = net, level = 0.95, reference = ref, small_values = "desirable")
}

# Components of each treatment label.
split_components <- function(treatments, sep) {
  lapply(strsplit(treatments, sep, fixed = TRUE), trimws)
}

component_names <- function(treatments, sep) {
  sort(unique(unlist(split_components(treatments, sep))))
}

# The combination matrix: treatments x (active components, interactions).
# The last matrix built is kept with its arguments: a simulation study or a
# sensitivity loop fits networks of the same treatment labels again and
# again, and the matrix depends on the labels and the three settings alone
# (only matrices built without error are kept), and on the collation that
# ordered its components.
combination_cache <- new.env(parent = emptyenv())

combination_matrix <- function(treatments, sep, inactive, interactions,
                               call = rlang::caller_env()) {
  key <- list(treatments, sep, inactive, interactions, Sys.getlocale("LC_COLLATE"))
  if (identical(combination_cache$key, key)) return(combination_cache$A)
  A <- build_combination_matrix(treatments, sep, inactive, interactions, call)
  combination_cache$key <- key
  combination_cache$A <- A
  A
}

build_combination_matrix <- function(treatments, sep, inactive, interactions, call) {
  # the components of all treatments in one vector, `row` their treatment
  raw <- strsplit(treatments, sep, fixed = TRUE)
  row <- rep.int(seq_along(raw), lengths(raw))
  # trimws() in one pass of the same regular expressions
  flat <- gsub("^[\t\r\n ]+|[\t\r\n ]+$", "", unlist(raw, use.names = FALSE), perl = TRUE)
  empty <- lengths(raw) == 0L | seq_along(raw) %in% row[!nzchar(flat)]
  if (any(empty)) {
    abort_fastnma(c(
      "Every treatment label must consist of non-empty components separated by {.val {sep}}.",
      "x" = "{.val {treatments[empty]}} {cli::qty(sum(empty))}ha{?s/ve} an empty component."
    ), "component", call = call, treatment = treatments[empty])
  }
  comps <- sort(unique(flat))
  A <- matrix(0, length(treatments), length(comps), dimnames = list(treatments, comps))
  A[cbind(row, match(flat, comps))] <- 1
  if (!is.null(inactive)) {
    if (!is.character(inactive) || length(inactive) != 1L || !(inactive %in% comps)) {
      abort_fastnma(c(
        "{.arg inactive} must name one component of the treatments.",
        "x" = "{.val {format(inactive)}} is not a component.",
        "i" = "The components are {.val {comps}}."
      ), "component", call = call)
    }
    # (the components are unique: dropping one keeps their order, as setdiff() would)
    A <- A[, comps != inactive, drop = FALSE]
  }
  if (!is.null(interactions)) {
    terms <- if (is.list(interactions)) lapply(interactions, as.character) else if (is.character(interactions)) {
      lapply(strsplit(interactions, "*", fixed = TRUE), trimws)
    } else {
      abort_fastnma("{.arg interactions} must be a character vector or a list of character vectors.",
                    "component", call = call)
    }
    active <- colnames(A)
    for (tm in terms) {
      unknown <- setdiff(tm, active)
      if (length(tm) < 2L || length(unknown) || anyDuplicated(tm)) {
        abort_fastnma(c(
          "Each interaction term must join at least two distinct active components.",
          "x" = "{.val {paste(tm, collapse = '*')}} {if (length(unknown)) paste0('names ', paste(unknown, collapse = ', '), ', not an active component') else 'joins fewer than two distinct components'}.",
          "i" = "The active components are {.val {active}}."
        ), "component", call = call)
      }
      col <- matrix(apply(A[, tm, drop = FALSE], 1L, prod), ncol = 1L,
                    dimnames = list(treatments, paste(tm, collapse = "*")))
      A <- cbind(A, col)
    }
    if (anyDuplicated(colnames(A))) {
      abort_fastnma("An interaction term is given twice.", "component", call = call)
    }
    attr(A, "interactions") <- vapply(terms, paste, character(1), collapse = "*")
  }
  if (ncol(A) == 0L) {
    abort_fastnma("The component model has no active component to estimate.", "component",
                  call = call)
  }
  A
}

#' Tidy a component network meta-analysis
#'
#' @inheritParams nma-tidiers
#' @param x An `nma_component` object from [component_nma()].
#' @param type `"components"` (default): one row per component (and
#'   interaction term); `"combinations"`: one row per treatment, the effect of
#'   the combination relative to no active component (netcomb's `Comb`);
#'   `"comparisons"`: every treatment against the reference implied by the
#'   component model, in the orientation of [tidy.nma()].
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument`, other names with
#'   `fastnma_error_unknown_argument`.
#' @return `tidy()`: a tibble with `component` (or `treatment`, or `term,
#'   treat1, treat2`), `model, estimate, std.error, conf.low, conf.high,
#'   statistic, p.value`. `glance()`: one row with `Q_additive, df_additive,
#'   p_value_additive, Q_standard, df_standard, Q_diff, df_diff, p_value_diff,
#'   tau2, tau, I2, k, m, n_treatments, n_components, n_parts, tau2_method`
#'   (`p_value_additive` and `p_value_diff` were `p_additive` and `p_diff`:
#'   the old names still read, with a deprecation warning, for one release).
#' @name component-tidiers
#' @examples
#' d <- data.frame(
#'   study = c("s1", "s2", "s3", "s4", "s5"),
#'   treat1 = c("A", "B", "A + B", "A + B", "B"),
#'   treat2 = c("P", "P", "P", "A", "A"),
#'   estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
#'   std.error = c(0.2, 0.25, 0.3, 0.2, 0.3)
#' )
#' cnma <- component_nma(d, inactive = "P", measure = "MD")
#' tidy(cnma, model = "common")
#' glance(cnma)
NULL

#' @rdname component-tidiers
#' @method tidy nma_component
#' @export
tidy.nma_component <- tidy_by_type(
  c("components", "combinations", "comparisons"),
  function(x, model, type, level, exponentiate, call) {
    df <- component_rows(x, model, type, level)
    if (exponentiate) exponentiate_columns(df) else df
  })

# Rows of estimates: components, combinations or comparisons with the
# reference, for one model.
component_rows <- function(x, model, type, level) {
  z <- stats::qnorm(1 - (1 - level) / 2)
  if (type == "components") {
    f <- x[[model]]
    lab <- data.frame(component = names(f$theta), stringsAsFactors = FALSE)
    est <- unname(f$theta)
    se <- sqrt(pmax(diag(f$cov), 0))
  } else {
    f <- x[[paste0("comb_", model)]]
    if (type == "combinations") {
      lab <- data.frame(treatment = names(f$theta), stringsAsFactors = FALSE)
      est <- unname(f$theta)
      se <- sqrt(pmax(diag(f$cov), 0))
    } else {
      trt <- treatment_order_component(x)
      others <- trt[-1L]
      r <- x$reference
      V <- f$cov
      est <- unname(f$theta[others] - f$theta[r])
      se <- sqrt(pmax(V[cbind(others, others)] + V[r, r] - 2 * V[others, r], 0))
      lab <- data.frame(treat1 = others, treat2 = rep(r, length(others)),
                        stringsAsFactors = FALSE)
    }
  }
  stat <- est / se
  cbind(lab, data.frame(
    model = rep(model, length(est)), estimate = est, std.error = se,
    conf.low = est - z * se, conf.high = est + z * se,
    statistic = stat, p.value = 2 * stats::pnorm(-abs(stat))
  ))
}

# The canonical treatment order: the reference first, then the others.
treatment_order_component <- function(x) c(x$reference, setdiff(x$treatments, x$reference))

#' @rdname component-tidiers
#' @method glance nma_component
#' @export
glance.nma_component <- function(x, ...) {
  netmeta_guard()
  with_old_names(as_glance(data.frame(
    Q_additive = x$Q, df_additive = x$df, p_value_additive = q_pvalue(x$Q, x$df),
    Q_standard = x$Q_standard, df_standard = x$df_standard,
    Q_diff = x$Q_diff, df_diff = x$df_diff, p_value_diff = q_pvalue(x$Q_diff, x$df_diff),
    tau2 = x$tau2, tau = sqrt(x$tau2), I2 = x$I2,
    k = x$k, m = x$m, n_treatments = x$n, n_components = length(x$components),
    n_parts = x$n_parts, tau2_method = x$tau2_method,
    stringsAsFactors = FALSE
  )))
}

#' @export
print.nma_component <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  what <- if (length(x$interactions)) "with interactions" else "additive"
  cli::cat_line(cli::style_bold(paste0("Component network meta-analysis (", what, " model)")))
  cli::cat_line(sprintf("%d studies, %d pairwise comparisons, %d treatments, %d components%s",
                        x$k, x$m, x$n, length(x$components),
                        if (x$n_parts > 1L) sprintf(", %d separate parts of the network", x$n_parts) else ""))
  if (!is.null(x$inactive)) cli::cat_line("Inactive component: ", x$inactive)
  cli::cat_line("")
  cli::cat_line(scale_header(x$measure, exponentiate), " of each component (",
                x$level * 100, "% CI)")
  for (model in c("common", "random")) {
    rows <- component_rows(x, model, "components", x$level)
    if (isTRUE(exponentiate)) rows <- exponentiate_columns(rows)
    cli::cat_line(if (model == "common") "Common effects:" else "Random effects:")
    lab <- format(rows$component)
    pv <- format_pvalue(rows$p.value, header = TRUE)
    cli::cat_line(sprintf("  %s  %s %s  %s", lab,
                          format_num_aligned(rows$estimate, digits),
                          format_ci(rows$conf.low, rows$conf.high, digits),
                          pv))
  }
  cli::cat_line("")
  cli::cat_line(sprintf("tau^2 = %s (%s); I^2 = %s",
                        format_num(x$tau2, 4), x$tau2_method,
                        format_i2(x$I2, x$I2_lower %||% NA_real_, x$I2_upper %||% NA_real_)))
  cli::cat_line(sprintf("Component model: Q = %s, df = %d, %s",
                        format_num(x$Q, 2), x$df, format_pvalue(q_pvalue(x$Q, x$df), header = TRUE)))
  cli::cat_line(sprintf("Against the standard NMA: Q_diff = %s, df = %d, %s",
                        format_num(x$Q_diff, 2), x$df_diff,
                        format_pvalue(q_pvalue(x$Q_diff, x$df_diff), header = TRUE)))
  note <- log_scale_note(x$measure, "Heterogeneity statistics are")
  if (!is.null(note)) cli::cat_line(note)
  invisible(x)
}

#' @export
coef.nma_component <- coef_of_model

#' @export
vcov.nma_component <- vcov_of_model

#' Simulate MSC trials with co-administered hyaluronic acid or PRP
#'
#' Simulates arm-level WOMAC pain outcomes for the trials of the MSC register
#' ([msc_trials]: the real trials, arms and arm sizes), labelling each arm as
#' a combination of components: the cell class (`Allo`, `Auto`) and a
#' co-administered or comparator product (`HA`, hyaluronic acid; `PRP`,
#' platelet-rich plasma, including PRGF and platelet products), read from the
#' arm's description; arms with neither are `Control` (placebo, saline,
#' corticosteroid, conservative care), the inactive component. The true mean
#' of an arm is the sum of the effects of its components (the additive model
#' of [component_nma()]). **The values are simulated**: every row says so in
#' its `source` column. Use it to check that [component_nma()] recovers the
#' declared cell effect on top of HA or PRP; never as evidence about MSCs.
#'
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @section Model:
#' Arms without a class or an arm size are left out, and so are trials left
#' with one treatment (listed in `attr(, "left_out")`). Arms of one trial with
#' the same combination (doses of one product) are merged into one arm with
#' the summed size. For study \eqn{i} and combination \eqn{c} the arm mean is
#' drawn as
#' \deqn{\bar y_{ic} \sim N(\mu_i + \textstyle\sum_{k \in c} \beta_k +
#' b_{ic}, \sigma^2 / n_{ic}), \quad \mu_i \sim N(\mu_0, 1), \quad b_{ic}
#' \sim N(0, \tau^2/2),}
#' the random-effects model of [nma()] with treatment effects given by the
#' components; the arm SD is \eqn{\sigma \sqrt{\chi^2_{n - 1}/(n - 1)}}.
#' Means and SDs are rounded to two decimals.
#'
#' @param seed Random seed (the global random state is left as it was).
#' @param effects Named vector of true component effects on WOMAC pain versus
#'   Control (mean difference; negative = less pain). Default
#'   `c(Allo = -1.5, Auto = -1.0, HA = -0.5, PRP = -0.8)`: so, for instance,
#'   "Auto + HA" vs "HA" is -1.0, the cell effect on top of HA.
#' @param tau Between-study SD of the contrasts (default 0.3).
#' @param sd Within-arm SD (default 4).
#' @param control_mean \eqn{\mu_0} (default 8).
#' @param trials The register (default [msc_trials]).
#' @return A data frame, one row per arm: `study, treatment` (the
#'   combination, components joined by `" + "`), `class, n, mean, sd,
#'   outcome, source`. Attributes: `truth` (a data frame of the declared
#'   component effects) and `left_out` (trials not simulated and why).
#' @seealso [component_nma()], [simulate_msc_extraction()].
#' @examples
#' sim <- simulate_msc_components(seed = 7)
#' table(sim$treatment)
#' attr(sim, "truth")
#' @export
simulate_msc_components <- function(seed, effects = c(Allo = -1.5, Auto = -1.0, HA = -0.5, PRP = -0.8),
                                    tau = 0.3, sd = 4, control_mean = 8,
                                    trials = fastnma::msc_trials, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (missing(seed) || !is.numeric(seed) || length(seed) != 1L || !is.finite(seed)) {
    abort_fastnma("{.arg seed} must be a single number.", "seed")
  }
  check_named_effects(effects, "effects")
  needed <- c("Allo", "Auto", "HA", "PRP")
  if (!setequal(names(effects), needed)) {
    abort_fastnma(c(
      "{.arg effects} must name the components {.val {needed}}.",
      "x" = "It names {.val {names(effects)}}."
    ), "effects")
  }
  for (a in c("tau", "sd")) {
    v <- get(a)
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < 0 || (a == "sd" && v == 0)) {
      abort_fastnma("{.arg {a}} must be a single non-negative number{if (a == 'sd') ' above 0' else ''}.",
                    "dispersion")
    }
  }
  n <- ifelse(is.na(trials$n_randomized), trials$n_analysed, trials$n_randomized)
  text <- paste(trials$arm, trials$cell_product)
  coadmin <- ifelse(grepl("PRP|PRGF|platelet", text, ignore.case = TRUE), "PRP",
                  ifelse(grepl("\\bHA\\b|hyaluron|Synvisc|Durolane", text, ignore.case = TRUE),
                         "HA", NA_character_))
  cls <- trials$class
  label <- ifelse(cls %in% c("Allo", "Auto"),
                  ifelse(is.na(coadmin), cls, paste(cls, coadmin, sep = " + ")),
                  ifelse(is.na(coadmin), "Control", coadmin))
  keep <- !is.na(cls) & !is.na(n)
  left_out <- data.frame(study = unique(trials$trial_id[!keep]),
                         reason = "an arm without class or arm size", stringsAsFactors = FALSE)
  arms <- data.frame(study = trials$trial_id, treatment = label, class = cls, n = n,
                     stringsAsFactors = FALSE)
  arms <- arms[keep & !(trials$trial_id %in% left_out$study), , drop = FALSE]
  # Doses of one combination in one trial: one arm.
  m <- merge_trial_arms(arms, "treatment", left_out, "one treatment left")
  arms <- m$arms
  left_out <- m$left_out
  comp <- lapply(strsplit(arms$treatment, " + ", fixed = TRUE), setdiff, "Control")
  d <- vapply(comp, function(k) sum(effects[k]), numeric(1))
  with_seed(seed, {
    studies <- unique(arms$study)
    s <- match(arms$study, studies)
    mu <- stats::rnorm(length(studies), control_mean, 1)
    b <- stats::rnorm(nrow(arms), 0, tau / sqrt(2))
    y <- stats::rnorm(nrow(arms), mu[s] + d + b, sd / sqrt(arms$n))
    s_arm <- sd * sqrt(stats::rchisq(nrow(arms), arms$n - 1) / (arms$n - 1))
  })
  src <- sprintf("SIMULATED: simulate_msc_components(seed = %s); real arm and n from msc_trials; not data",
                 format(seed))
  out <- data.frame(study = arms$study, treatment = arms$treatment, class = arms$class,
                    n = arms$n, mean = round(y, 2), sd = round(s_arm, 2),
                    outcome = "womac_pain", source = src, stringsAsFactors = FALSE)
  truth <- data.frame(component = names(effects), value = unname(effects),
                      stringsAsFactors = FALSE)
  truth <- truth[order(truth$component), , drop = FALSE]
  rownames(truth) <- NULL
  structure(out, truth = truth, left_out = left_out)
}

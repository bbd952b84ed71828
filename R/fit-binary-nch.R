# The non-central hypergeometric (NCH) network meta-analysis of
# nma_binary(method = "NCH"): the conditional likelihood of each study's
# events given their total, maximised in the compiled core (src/core/nch.h).

nch_likelihoods <- c("exact", "binomial")

nch_status_reason <- c(
  "no events in this arm in any study of the design",
  "events in every patient of this arm in every study of the design",
  "design left with a single arm",
  "design not estimable",
  "only one arm: no contrast"
)

# The options of method "NCH" given through nma_binary()'s `...`: only
# `likelihood`.
nch_options <- function(dots, call = rlang::caller_env()) {
  bad <- setdiff(names(dots) %||% rep("", length(dots)), "likelihood")
  if (length(bad) || (length(dots) && is.null(names(dots)))) {
    abort_fastnma(c(
      "The non-central hypergeometric method takes no argument{?s} {.arg {bad}}.",
      "i" = "It takes {.arg likelihood} (\"exact\" or \"binomial\")."
    ), "unknown_argument", call = call)
  }
  likelihood <- dots$likelihood
  check_choice(likelihood, nch_likelihoods, "likelihood", call = call)
}

nch_network <- function(arms, reference, level, call, likelihood = "exact",
                        err_call = rlang::caller_env(), small_values = "desirable") {
  st <- arms$study
  tr <- arms$treatment
  ev <- arms$events
  nn <- arms$n
  treatments <- arms$order %||% sort(unique(tr))
  if (!is.null(reference)) reference <- check_reference(reference, treatments, call = err_call)
  studies_all <- unique(st)
  s_idx <- match(st, studies_all)
  t_idx <- match(tr, treatments)
  n_arms_in <- tabulate(s_idx, length(studies_all))
  ref_idx <- if (is.null(reference)) 1L else match(reference, treatments)
  res <- nch_fit_cpp(
    list(study = s_idx, treat = t_idx, events = ev, n = nn,
         n_study = length(studies_all), n_treat = length(treatments)),
    list(likelihood = match(likelihood, nch_likelihoods) - 1L, ref = ref_idx,
         max_iter = 200L, tol = 1e-10))

  audit <- nch_audit(res, st, tr, ev, nn, s_idx, n_arms_in, studies_all, treatments)
  if (nrow(audit) > 0L) report_audit(audit)
  if (res$status != 0L) {
    abort_core_status(res, studies_all, treatments, NULL, NULL, call = err_call, source = "nch")
  }
  if (!isTRUE(res$converged)) nch_abort_unbounded(res, treatments, err_call)

  common <- arm_fit_common(res, treatments, reference, err_call)
  used <- names(common$theta)
  ref_used <- treatments[res$ref]

  # Studies and arms that carry information, and their designs (the arms kept).
  used_study <- res$study_info == core_code("nch_study", "used")
  used_arm <- res$arm_status == core_code("mh_arm", "used") & used_study[s_idx]
  studies_used <- studies_all[used_study]
  arm_study <- match(st[used_arm], studies_used)
  key <- vapply(split(match(tr[used_arm], used), factor(arm_study, seq_along(studies_used))),
                function(a) paste(sort(a), collapse = ","), character(1))
  design_keys <- unique(key)
  design_arms <- lapply(strsplit(design_keys, ",", fixed = TRUE), as.integer)
  n_arms <- tabulate(arm_study, length(studies_used))
  policy <- zero_cell_policy("none")

  new_nma(list(
    call = call,
    measure = "OR",
    method = "NCH",
    likelihood = likelihood,
    treatments = used,
    reference = ref_used,
    studies = studies_used,
    data = mh_study_contrasts(st[used_arm], tr[used_arm], ev[used_arm], nn[used_arm],
                              "OR", policy),
    k = length(studies_used),
    m = sum(n_arms * (n_arms - 1L) / 2L),
    n = length(used),
    n_designs = length(design_arms),
    design = match(key, design_keys),
    design_arms = design_arms,
    n_arms = n_arms,
    common = common,
    random = common,
    tau2 = NA_real_,
    tau2_method = "none",
    tau2_info = NULL,
    ci_method = "wald",
    level = level,
    Q = NA_real_, df = NA_integer_,
    Q_within = NA_real_, df_within = NA_integer_,
    Q_between = NA_real_, df_between = NA_integer_,
    Q_design = rep(NA_real_, length(design_arms)),
    df_design = lengths(design_arms) - 1L,
    Q_random = NA_real_,
    hk_scale = NA_real_,
    I2 = NA_real_, I2_lower = NA_real_, I2_upper = NA_real_,
    loglik = c(ML = NA_real_, REML = NA_real_),
    loglik_conditional = res$loglik,
    iterations = res$iterations,
    n_obs = res$n_obs,
    control = NULL,
    zero_cells = as_zero_cell_audit(audit),
    zero_cell_policy = policy,
    arm_data = data.frame(study = st[used_arm], treatment = tr[used_arm],
                          events = ev[used_arm], n = nn[used_arm],
                          stringsAsFactors = FALSE)
  ), class = "nma_nch", capabilities = fit_capabilities("NCH"),
  small_values = small_values)
}

# The zero-cell audit of an NCH fit: studies with one arm, arms set aside by
# the design screen (as netmetabin() does), and studies whose conditional
# likelihood is constant (no events, or only events, in the arms used):
# they carry no information. No continuity correction is ever applied.
nch_audit <- function(res, st, tr, ev, nn, s_idx, n_arms_in, studies_all, treatments) {
  audit <- empty_audit()
  # studies without events (or with only events) in every arm: no
  # information, whatever the screen of their design did
  tot_e <- tabulate_sum(s_idx, ev, length(studies_all))
  tot_n <- tabulate_sum(s_idx, nn, length(studies_all))
  no_info <- (tot_e == 0 | tot_e == tot_n) & n_arms_in > 1L
  no_info <- no_info | res$study_info == core_code("nch_study", "no_information")
  status <- res$arm_status
  aside <- status > 0L & !no_info[s_idx]
  if (any(aside)) {
    a_st <- st[aside]
    design_label <- vapply(res$designs, function(a) paste(treatments[a], collapse = ":"),
                           character(1))
    dsg <- design_label[res$study_design[s_idx[aside]]]
    why <- ifelse(status[aside] == 5L, nch_status_reason[5L],
                  paste0("arm ", tr[aside], " set aside: ", nch_status_reason[status[aside]],
                         " (design ", dsg, ")"))
    whole <- tabulate(match(a_st, unique(a_st))) ==
      n_arms_in[match(unique(a_st), studies_all)]
    audit <- rbind(audit, data.frame(
      study = unique(a_st),
      action = ifelse(whole, "excluded", "arm excluded"),
      increment = NA_real_,
      reason = paste0("conditional likelihood: ",
                      vapply(split(why, factor(a_st, unique(a_st))), paste,
                             character(1), collapse = "; ")),
      stringsAsFactors = FALSE))
  }
  none <- which(no_info)
  if (length(none)) {
    audit <- rbind(audit, data.frame(
      study = studies_all[none], action = "no information", increment = NA_real_,
      reason = "no events (or only events) in the arms used: the conditional likelihood is constant; no correction applied",
      stringsAsFactors = FALSE))
  }
  audit
}

tabulate_sum <- function(idx, x, n) {
  vapply(split(x, factor(idx, seq_len(n))), sum, numeric(1), USE.NAMES = FALSE)
}

# Newton-Raphson left the bounded region: the maximum of the conditional
# likelihood is at infinity (for instance a treatment whose arms have events
# only where every comparator has none).
nch_abort_unbounded <- function(res, treatments, call) {
  th <- abs(res$theta)
  far <- treatments[th > 0.5 * max(th)]
  abort_fastnma(c(
    "The conditional likelihood has no finite maximum.",
    "x" = "{cli::qty(length(far))}The log odds ratio{?s} of {.val {far}} grow{?s/} without bound: the events separate {cli::qty(length(far))}{?this treatment/these treatments} from the others.",
    "i" = "Check the zero-cell audit; a Mantel-Haenszel fit ({.code method = \"MH\"}) or a continuity correction ({.code method = \"IV\"}) gives finite estimates."
  ), "numerical", call = call)
}

#' @rdname nma-tidiers
#' @method tidy nma_nch
#' @export
tidy.nma_nch <- function(x, model = c("common", "random"),
                         comparisons = c("reference", "all"), conf.int = TRUE,
                         conf.level = x$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  tidy_common_only(x, if (missing(model)) NULL else model,
                   if (missing(comparisons)) NULL else comparisons,
                   conf.int, conf.level, exponentiate)
}

#' @rdname nma-tidiers
#' @method glance nma_nch
#' @export
glance.nma_nch <- function(x, ...) {
  netmeta_guard()
  as_glance(data.frame(
    k = x$k, m = x$m, n_treatments = x$n, n_designs = x$n_designs,
    tau2 = NA_real_, tau = NA_real_,
    I2 = NA_real_, I2_lower = NA_real_, I2_upper = NA_real_,
    Q = NA_real_, df = NA_integer_, p.value = NA_real_,
    Q_within = NA_real_, df_within = NA_integer_, p_value_within = NA_real_,
    Q_between = NA_real_, df_between = NA_integer_, p_value_between = NA_real_,
    tau2_method = "none", logLik = x$loglik_conditional, nobs = x$n_obs,
    method = "NCH", stringsAsFactors = FALSE
  ))
}

#' @export
print.nma_nch <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  cli::cat_line(cli::style_bold("Non-central hypergeometric network meta-analysis"))
  cli::cat_line("(", scale_header(x$measure, exponentiate), "; common-effect model; ",
                if (identical(x$likelihood, "binomial")) "binomial approximation" else "exact",
                " conditional likelihood)")
  cli::cat_line(sprintf("%d studies, %d pairwise comparisons, %d treatments, %d designs",
                        x$k, x$m, x$n, x$n_designs))
  cli::cat_line(sprintf("Reference: %s", x$reference))
  cli::cat_line()
  rows <- nma_comparisons(x, "common", "reference", exponentiate = exponentiate)
  print_comparison_rows(rows, digits, x$level, measure_abbrev(x$measure, exponentiate))
  cli::cat_line()
  cli::cat_line(sprintf("Conditional log-likelihood %s (%d Newton steps)",
                        format_num(x$loglik_conditional, 2), x$iterations))
  audit <- x$zero_cells
  none <- if (is.null(audit)) 0L else sum(audit$action == "no information")
  out <- if (is.null(audit)) 0L else length(unique(audit$study[audit$action %in% c("excluded", "arm excluded")]))
  cli::cat_line(strwrap(sprintf(
    "No continuity correction. %d stud%s without information, %d with arms set aside (see zero_cell_audit())",
    none, if (none == 1L) "y" else "ies", out), width = getOption("width", 80L)))
  invisible(x)
}

#' @export
summary.nma_nch <- function(object, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  fit_summary(object, exponentiate, design_table(object)[c("design", "studies")])
}

# The measure of an NCH fit: the odds ratio (the default), in any case.
check_nch_measure <- function(measure, call = rlang::caller_env()) {
  if (is.null(measure)) return("OR")
  measure <- check_choice(measure, c("RR", "OR", "RD"), "measure", call = call)
  if (measure != "OR") {
    abort_fastnma(c(
      "The non-central hypergeometric method estimates odds ratios only.",
      "x" = "{.arg measure} is {.val {measure}}.",
      "i" = "Use {.code measure = \"OR\"}, or {.code method = \"MH\"} for a risk ratio or risk difference."
    ), "measure", call = call)
  }
  measure
}

# The conditional likelihood needs no continuity correction: a policy that
# adds one is an error.
check_nch_policy <- function(zero_cells, call = rlang::caller_env()) {
  if (!is.null(zero_cells) && !identical(zero_cells$method, "none")) {
    abort_fastnma(c(
      "The non-central hypergeometric method takes no continuity correction.",
      "x" = "{.arg zero_cells} asks for {.val {zero_cells$method}}.",
      "i" = "Leave {.arg zero_cells} at {.code NULL}: studies without information are listed by {.fn zero_cell_audit}."
    ), "policy", call = call)
  }
  invisible(zero_cells)
}

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
  check_method_dots(dots, "likelihood", "non-central hypergeometric method",
                    "It takes {.arg likelihood} (\"exact\" or \"binomial\").", call = call)
  likelihood <- dots$likelihood
  check_choice(likelihood, nch_likelihoods, "likelihood", call = call)
}

nch_network <- function(arms, reference, level, call, likelihood = "exact",
                        err_call = rlang::caller_env(), small_values = "desirable") {
  ix <- arm_index(arms, reference, err_call)
  res <- nch_fit_cpp(
    list(study = ix$s_idx, treat = ix$t_idx, events = arms$events, n = arms$n,
         n_study = length(ix$studies_all), n_treat = length(ix$treatments)),
    list(likelihood = match(likelihood, nch_likelihoods) - 1L, ref = ix$ref_idx,
         max_iter = 200L, tol = 1e-10))

  audit <- nch_audit(res, arms, ix)
  if (nrow(audit) > 0L) report_audit(audit)
  if (res$status != 0L) {
    abort_core_status(res, ix$studies_all, ix$treatments, NULL, NULL, call = err_call,
                      source = "nch")
  }
  if (!isTRUE(res$converged)) nch_abort_unbounded(res, ix$treatments, err_call)

  common <- arm_fit_common(res, ix$treatments, ix$reference, err_call)
  used <- names(common$theta)

  # Studies and arms that carry information, and their designs (the arms kept).
  used_study <- res$study_info == core_code("nch_study", "used")
  used_arm <- res$arm_status == core_code("mh_arm", "used") & used_study[ix$s_idx]
  studies_used <- ix$studies_all[used_study]
  arm_study <- match(arms$study[used_arm], studies_used)
  key <- vapply(split(match(arms$treatment[used_arm], used),
                      factor(arm_study, seq_along(studies_used))),
                function(a) paste(sort(a), collapse = ","), character(1))
  design_keys <- unique(key)
  design_arms <- lapply(strsplit(design_keys, ",", fixed = TRUE), as.integer)

  new_arm_fit(
    list(call = call, measure = "OR", method = "NCH", likelihood = likelihood),
    arms, used_arm, res, ix, common, zero_cell_policy("none"), audit, level,
    designs = list(studies = studies_used, design = match(key, design_keys),
                   design_arms = design_arms,
                   n_arms = tabulate(arm_study, length(studies_used))),
    Q = NA_real_, df = NA_integer_,
    extra = list(loglik_conditional = res$loglik, iterations = res$iterations),
    class = "nma_nch", small_values = small_values)
}

# The zero-cell audit of an NCH fit: studies with one arm, arms set aside by
# the design screen (as netmetabin() does), and studies whose conditional
# likelihood is constant (no events, or only events, in the arms used):
# they carry no information. No continuity correction is ever applied.
nch_audit <- function(res, arms, ix) {
  audit <- empty_audit()
  n_study <- length(ix$studies_all)
  # studies without events (or with only events) in every arm: no
  # information, whatever the screen of their design did
  tot_e <- tabulate_sum(ix$s_idx, arms$events, n_study)
  tot_n <- tabulate_sum(ix$s_idx, arms$n, n_study)
  no_info <- (tot_e == 0 | tot_e == tot_n) & ix$n_arms_in > 1L
  no_info <- no_info | res$study_info == core_code("nch_study", "no_information")
  status <- res$arm_status
  aside <- status > 0L & !no_info[ix$s_idx]
  if (any(aside)) {
    audit <- rbind(audit, aside_audit(res, arms, ix, aside, status[aside],
                                      nch_status_reason, "conditional likelihood"))
  }
  none <- which(no_info)
  if (length(none)) {
    audit <- rbind(audit, data.frame(
      study = ix$studies_all[none], action = "no information", increment = NA_real_,
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
#' @method glance nma_nch
#' @export
glance.nma_nch <- function(x, ...) {
  netmeta_guard()
  glance_common_only(x, logLik = x$loglik_conditional, nobs = x$n_obs)
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
  print_common_only(x, digits, exponentiate)
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
  check_odds_ratio_only(measure, "non-central hypergeometric method",
                        "Use {.code measure = \"OR\"}, or {.code method = \"MH\"} for a risk ratio or risk difference.",
                        call = call)
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

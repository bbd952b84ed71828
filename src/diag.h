// Shared by the wrappers of the evidence diagnostics (src/diag-*.cpp): the
// status returned to R as `core_status` (mapped to classed errors by the
// table in R/core-errors.R) and the network every diagnostic starts from.
#pragma once

#include <string>

#include "core/status.h"
#include "network_handle.h"

namespace fastnma {

// Codes of core/status.h: OK, SINGULAR (the model could not be fitted) or
// REBUILD (the network of the fit could not be rebuilt from its stored
// contrasts; `problem` is the InputProblem, `study` 1-based).

inline Rcpp::List rebuild_failure(const BuildResult& br) {
  return Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(REBUILD),
                            Rcpp::Named("problem") = br.code,
                            Rcpp::Named("study") = br.study + 1);
}

inline Rcpp::List singular_failure() {
  return Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(SINGULAR));
}

// The options of the diagnostics that refit the network without part of its
// evidence (leave-one-out, node-splitting): the 1-based reference `ref`, the
// fit's `tau2`, how tau^2 is estimated again (`reestimate`, `tau2_method`,
// `tol_tau2`) and `exact_budget`, the work up to which the refits are exact
// rather than low-rank updates.
struct RefitOptions {
  int ref;
  double tau2;
  bool reestimate;
  std::string tau2_method;
  double tol_tau2;
  double exact_budget;
};

inline RefitOptions refit_options(const Rcpp::List& opts) {
  return RefitOptions{opt<int>(opts, "ref"),           opt<double>(opts, "tau2"),
                      opt<bool>(opts, "reestimate"),   opt<std::string>(opts, "tau2_method"),
                      opt<double>(opts, "tol_tau2"),   opt<double>(opts, "exact_budget")};
}

}  // namespace fastnma

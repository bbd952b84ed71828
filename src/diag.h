// Shared by the wrappers of the evidence diagnostics (src/diag-*.cpp): the
// status returned to R as `core_status` (mapped to classed errors by the
// table in R/core-errors.R) and the network every diagnostic starts from.
#pragma once

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

}  // namespace fastnma

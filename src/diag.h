// Shared by the wrappers of the evidence diagnostics (src/diag-*.cpp): the
// status returned to R as `core_status` (mapped to classed errors by the
// table in R/errors.R) and the network every diagnostic starts from.
#pragma once

#include "network_handle.h"

namespace fastnma {

// 0 success, 8 the model could not be fitted (singular system), 10 the
// network of the fit could not be rebuilt from its stored contrasts
// (`problem` is the InputProblem, `study` 1-based).
const int STATUS_OK = 0;
const int STATUS_SINGULAR = 8;
const int STATUS_REBUILD = 10;

inline Rcpp::List rebuild_failure(const BuildResult& br) {
  return Rcpp::List::create(Rcpp::Named("core_status") = STATUS_REBUILD,
                            Rcpp::Named("problem") = br.code,
                            Rcpp::Named("study") = br.study + 1);
}

inline Rcpp::List singular_failure() {
  return Rcpp::List::create(Rcpp::Named("core_status") = STATUS_SINGULAR);
}

}  // namespace fastnma

// Helpers shared by the thin Rcpp wrappers (not part of the plain C++ core).
#pragma once

#include <Rcpp.h>

#include <vector>

#include "core/network.h"

namespace fastnma {

// 1-based R integer codes to 0-based indices; NA becomes -1, which the
// core's range check rejects (no arithmetic on NA_INTEGER).
inline std::vector<int> zero_based(const Rcpp::IntegerVector& x) {
  std::vector<int> out(x.size());
  for (R_xlen_t i = 0; i < x.size(); ++i) out[i] = x[i] == NA_INTEGER ? -1 : x[i] - 1;
  return out;
}

// The first input problem found while building a network, with 1-based
// locations, for abort_core_status() on the R side.
inline Rcpp::List problem_list(const BuildResult& br) {
  return Rcpp::List::create(
      Rcpp::Named("status") = br.code, Rcpp::Named("study") = br.study + 1,
      Rcpp::Named("row") = br.row + 1, Rcpp::Named("row2") = br.row2 + 1,
      Rcpp::Named("value") = br.value, Rcpp::Named("t_a") = br.t_a + 1,
      Rcpp::Named("t_b") = br.t_b + 1);
}

}  // namespace fastnma

// Helpers shared by the thin Rcpp wrappers (not part of the plain C++ core).
#pragma once

#include <Rcpp.h>
#include <RcppEigen.h>

#include <initializer_list>
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

// Eigen matrices and vectors as R objects (copies).
inline Rcpp::NumericMatrix to_r(const MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}
inline Rcpp::NumericVector to_r(const VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}
template <class T>
inline Rcpp::NumericVector to_r(const std::vector<T>& v) {
  return Rcpp::NumericVector(v.begin(), v.end());
}

// The network of 1-based R codes (study, treat1, treat2) with estimates and
// standard errors.
inline BuildResult network_from_r(const Rcpp::IntegerVector& study,
                                  const Rcpp::IntegerVector& t1,
                                  const Rcpp::IntegerVector& t2,
                                  const Rcpp::NumericVector& y,
                                  const Rcpp::NumericVector& se, int n_study,
                                  int n_treat, double tol, Network& net) {
  return build_network(zero_based(study), zero_based(t1), zero_based(t2), y.begin(),
                       se.begin(), n_study, n_treat, tol, net);
}

// A named list from names and values given in the same order.
inline Rcpp::List named_list(std::initializer_list<const char*> names,
                             std::initializer_list<SEXP> values) {
  Rcpp::List out(values.begin(), values.end());
  out.attr("names") = Rcpp::CharacterVector(names.begin(), names.end());
  return out;
}

}  // namespace fastnma

// Helpers shared by the thin Rcpp wrappers (not part of the plain C++ core):
// the R <-> Eigen converters, written once, and the progress hook of long
// core calls (src/progress.cpp).
#pragma once

#include <Rcpp.h>
#include <RcppEigen.h>

#include <algorithm>
#include <cstring>
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

inline Rcpp::NumericMatrix r_mat(const MatrixXd& m) { return to_r(m); }
inline Rcpp::NumericVector r_vec(const VectorXd& v) { return to_r(v); }

inline Rcpp::IntegerVector r_int(const std::vector<int>& v) {
  return Rcpp::IntegerVector(v.begin(), v.end());
}

// 0-based indices to 1-based R codes.
inline Rcpp::IntegerVector r_codes(const std::vector<int>& v) {
  Rcpp::IntegerVector out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = v[i] + 1;
  return out;
}

// The part of an arm-based binary fit's result (Mantel-Haenszel, non-central
// hypergeometric) reported whether or not the fit succeeded: its status,
// what happened to each arm, the design of each study, the designs, the
// treatments present and, when the network falls into parts, its
// components. `Result` is mh::Result or nch::Result.
template <class Result>
Rcpp::List arm_fit_head(const Result& res) {
  Rcpp::List designs(res.designs.size());
  for (size_t d = 0; d < res.designs.size(); ++d) designs[d] = r_codes(res.designs[d]);
  Rcpp::List out;
  out["status"] = res.status;
  out["arm_status"] = Rcpp::IntegerVector(res.arm_status.begin(), res.arm_status.end());
  out["study_design"] = r_codes(res.study_design);
  out["designs"] = designs;
  out["present"] = r_codes(res.present);
  if (res.status == DISCONNECTED) out["components"] = r_codes(res.components);
  return out;
}

inline MatrixXd eigen_mat(const Rcpp::NumericMatrix& m) {
  return Eigen::Map<const MatrixXd>(m.begin(), m.nrow(), m.ncol());
}

inline VectorXd eigen_vec(const Rcpp::NumericVector& v) {
  return Eigen::Map<const VectorXd>(v.begin(), v.size());
}

// The coefficients and covariances of a fit's two models into `out`
// (beta_common, cov_common, beta_random, cov_random).
inline void put_models(Rcpp::List& out, const VectorXd& b0, const MatrixXd& V0,
                       const VectorXd& b1, const MatrixXd& V1) {
  out["beta_common"] = to_r(b0);
  out["cov_common"] = to_r(V0);
  out["beta_random"] = to_r(b1);
  out["cov_random"] = to_r(V1);
}

// An element of a named R list, or R_NilValue when absent.
inline SEXP list_get(const Rcpp::List& x, const char* name) {
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  if (Rf_isNull(names)) return R_NilValue;
  for (R_xlen_t i = 0; i < x.size(); ++i) {
    if (std::strcmp(CHAR(STRING_ELT(names, i)), name) == 0) return VECTOR_ELT(x, i);
  }
  return R_NilValue;
}

// An option of the `opts` list every verb wrapper takes (a missing option is
// an internal error, never a silent default).
template <typename T>
T opt(const Rcpp::List& opts, const char* name) {
  SEXP v = list_get(opts, name);
  if (Rf_isNull(v)) Rcpp::stop("internal error: option '%s' missing", name);
  return Rcpp::as<T>(v);
}

// Called by the cores every `stride` units of work: checks for a user
// interrupt and reports progress to the R callback set by progress_cpp().
void interrupt();

}  // namespace fastnma
